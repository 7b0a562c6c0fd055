package dev.commitcast.api.cache;

import dev.commitcast.api.support.Api;
import dev.commitcast.api.support.ApiTestSupport;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static dev.commitcast.api.support.Api.header;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code commitcast.cache.l1.enabled=false}: Redis serves every hit (the benchmark's L2 configuration). */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class L2OnlyIT extends ApiTestSupport {

    @Inject
    EmbeddedServer server;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("commitcast.cache.l1.enabled", "false");
    }

    @Test
    void withoutL1EveryHitComesFromRedis() {
        Api api = new Api(server.getURI());
        assertEquals("MISS", header(api.get("/v1/orgs/2/roles"), "X-Cache"));
        assertEquals("L2", header(api.get("/v1/orgs/2/roles"), "X-Cache"));
        assertEquals("L2", header(api.get("/v1/orgs/2/roles"), "X-Cache"));
        assertEquals("MISS", header(api.get("/v1/orgs/2/users?limit=3"), "X-Cache"));
        assertEquals("L2", header(api.get("/v1/orgs/2/users?limit=5"), "X-Cache"), "pages are cut from L2 too");
    }
}
