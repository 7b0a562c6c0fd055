package dev.commitcast.api.cache;

import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.testsupport.Repo;
import dev.commitcast.api.support.Api;
import dev.commitcast.api.support.ApiTestSupport;
import dev.commitcast.api.support.Meters;
import dev.commitcast.api.support.RedisProbe;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.KeySpace;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.Map;

import static dev.commitcast.api.support.Api.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A value in Redis that does not decode (written by something else, or by an incompatible version) is served around
 * from Postgres, counted as a {@code corrupt_value} fallback, deleted, and refilled by the same read. L1 is off, so
 * every read shows what L2 does.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorruptL2ValueIT extends ApiTestSupport {

    private static final String GARBAGE = "not a cached value";

    @Inject
    EmbeddedServer server;
    @Inject
    MeterRegistry registry;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("commitcast.cache.l1.enabled", "false");
    }

    @Test
    void aCorruptValueIsServedAroundDeletedAndRefilled() {
        Api api = new Api(server.getURI());
        String key = Repo.demoRules(keySpace()).keySpace().valueKey(DemoKeys.roles(3));
        String truth = api.get("/v1/orgs/3/roles").body();
        try (RedisProbe redis = new RedisProbe()) {
            redis.redis().set(key, GARBAGE);
            long corrupt = Meters.count(registry, "commitcast.cache.fallbacks", "reason", "corrupt_value");

            HttpResponse<String> read = api.get("/v1/orgs/3/roles");
            assertEquals(200, read.statusCode(), read.body());
            assertEquals(truth, read.body(), "served from Postgres");
            assertEquals("MISS", header(read, "X-Cache"));
            assertEquals(corrupt + 1, Meters.count(registry, "commitcast.cache.fallbacks", "reason", "corrupt_value"));
            assertNotEquals(GARBAGE, redis.redis().get(key), "the corrupt value was replaced");

            HttpResponse<String> next = api.get("/v1/orgs/3/roles");
            assertEquals("L2", header(next, "X-Cache"), "the read refilled L2");
            assertEquals(truth, next.body());
        }
    }
}
