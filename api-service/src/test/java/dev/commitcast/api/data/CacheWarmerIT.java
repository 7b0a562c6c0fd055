package dev.commitcast.api.data;

import dev.commitcast.client.CommitcastClient;
import dev.commitcast.api.support.Api;
import dev.commitcast.api.support.ApiTestSupport;
import dev.commitcast.api.support.Wait;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static dev.commitcast.api.support.Api.header;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code commitcast.cache.warm.*}: the first organisations and listed keys are in L1 right after start. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CacheWarmerIT extends ApiTestSupport {

    @Inject
    EmbeddedServer server;
    @Inject
    CommitcastClient l1;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("commitcast.cache.warm.orgs", "2",
                "commitcast.cache.warm.keys", keySpace() + ":v1:org:{3}:role:9:perms");
    }

    @Test
    void configuredKeysAreWarmAfterStart() {
        Wait.until("7 keys warmed (2 orgs x 3 + 1)", () -> l1.status().l1Size() >= 7);
        Api api = new Api(server.getURI());
        assertEquals("L1", header(api.get("/v1/orgs/1/settings"), "X-Cache"));
        assertEquals("L1", header(api.get("/v1/orgs/2/roles"), "X-Cache"));
        assertEquals("L1", header(api.get("/v1/orgs/2/users?limit=5"), "X-Cache"));
        assertEquals("L1", header(api.get("/v1/orgs/3/roles/9/permissions"), "X-Cache"));
        assertEquals("MISS", header(api.get("/v1/orgs/3/settings"), "X-Cache"));
    }
}
