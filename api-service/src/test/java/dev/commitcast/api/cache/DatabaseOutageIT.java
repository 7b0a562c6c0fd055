package dev.commitcast.api.cache;

import dev.commitcast.client.CommitcastClient;
import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.api.support.Api;
import dev.commitcast.api.support.ApiTestSupport;
import dev.commitcast.api.support.TestStack;
import dev.commitcast.api.support.Wait;
import dev.commitcast.devstack.ServerControl;
import dev.commitcast.devstack.ServerKind;
import dev.commitcast.core.CacheKey;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.List;

import static dev.commitcast.api.support.Api.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Postgres stopped: cached values are still served from L1 and L2, misses answer 503 problems with a reason. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseOutageIT extends ApiTestSupport {

    @Inject
    EmbeddedServer server;
    @Inject
    CommitcastClient evictions;

    @Test
    void cachedValuesOutliveAPostgresOutageAndMissesAre503() {
        Api api = new Api(server.getURI());
        assertEquals(200, api.get("/v1/orgs/1/settings").statusCode());
        assertEquals(200, api.get("/v1/orgs/1/users/40").statusCode());
        evictions.evictLocally(List.of(DemoKeys.user(1, 40)));
        ServerControl postgres = TestStack.stack().server(ServerKind.POSTGRES);

        postgres.stop();
        try {
            assertEquals("L1", header(api.get("/v1/orgs/1/settings"), "X-Cache"));
            assertEquals("L2", header(api.get("/v1/orgs/1/users/40"), "X-Cache"));
            HttpResponse<String> miss = api.get("/v1/orgs/1/users/41");
            assertEquals(503, miss.statusCode(), miss.body());
            assertEquals("application/problem+json", header(miss, "Content-Type"));
            assertTrue(miss.body().contains("database unavailable"), miss.body());
            assertEquals(503, api.send("POST", "/v1/orgs/1/roles", "{\"name\":\"During outage\"}").statusCode());
        } finally {
            postgres.start();
        }
        Wait.until("reads reach Postgres again", () -> api.get("/v1/orgs/1/users/41").statusCode() == 200);
    }
}
