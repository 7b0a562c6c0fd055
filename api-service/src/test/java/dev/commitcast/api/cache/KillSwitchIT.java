package dev.commitcast.api.cache;

import dev.commitcast.client.MicrometerStatsCounter;
import dev.commitcast.client.StatsCounter;
import dev.commitcast.api.support.Api;
import dev.commitcast.api.support.ApiTestSupport;
import dev.commitcast.api.support.RedisProbe;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.Map;

import static dev.commitcast.api.support.Api.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code commitcast.cache.enabled=false}: every read goes straight to Postgres and Redis stays untouched. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillSwitchIT extends ApiTestSupport {

    @Inject
    EmbeddedServer server;
    @Inject
    MicrometerStatsCounter metrics;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("commitcast.cache.enabled", "false");
    }

    @Test
    void theKillSwitchServesFromPostgresOnly() {
        Api api = new Api(server.getURI());
        long bypassed = metrics.bypasses(StatsCounter.Bypass.DISABLED);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> answer = api.get("/v1/orgs/1/users/1");
            assertEquals(200, answer.statusCode());
            assertEquals("BYPASS", header(answer, "X-Cache"));
            assertEquals("no-cache", header(answer, "Cache-Control"));
        }
        assertEquals(404, api.get("/v1/orgs/1/users/999999").statusCode());
        assertEquals(bypassed + 4, metrics.bypasses(StatsCounter.Bypass.DISABLED));
        try (RedisProbe redis = new RedisProbe()) {
            assertTrue(redis.redis().keys(keySpace() + ":*").isEmpty(), "nothing was written to Redis");
        }
    }
}
