package dev.commitcast.api.cache;

import dev.commitcast.client.CommitcastClient;
import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.client.MicrometerStatsCounter;
import dev.commitcast.client.StatsCounter;
import dev.commitcast.client.StatsCounter.Fallback;
import dev.commitcast.api.support.Api;
import dev.commitcast.api.support.ApiTestSupport;
import dev.commitcast.api.support.Meters;
import dev.commitcast.api.support.TestStack;
import dev.commitcast.api.support.Wait;
import dev.commitcast.devstack.RedisEndpoint;
import dev.commitcast.core.CacheKey;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.commitcast.api.support.Api.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis stopped mid-test: reads keep succeeding from L1 and Postgres, fallbacks are counted, the circuit opens,
 * readiness stays UP with L2 DOWN; after Redis is back the circuit closes by itself and L2 serves again.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisOutageIT extends ApiTestSupport {

    @Inject
    EmbeddedServer server;
    @Inject
    MicrometerStatsCounter metrics;
    @Inject
    CommitcastClient evictions;
    @Inject
    MeterRegistry registry;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("commitcast.redis.breaker-failure-threshold", "3",
                "commitcast.redis.breaker-cool-down", "200ms",
                "commitcast.redis.reconnect-delay-max", "200ms");
    }

    @Test
    void readsSurviveARedisOutageAndL2RecoversByItself() {
        Api api = new Api(server.getURI());
        RedisEndpoint redis = TestStack.stack().redis();
        assertEquals("MISS", header(api.get("/v1/orgs/1/users/30"), "X-Cache"));
        long lost = Meters.count(registry, "commitcast.l1.flushes", "reason", "subscription-lost");
        long fallbacks = fallbacks();

        redis.stop();
        try {
            Wait.until("the lost subscription flushed L1",
                    () -> Meters.count(registry, "commitcast.l1.flushes", "reason", "subscription-lost") > lost);
            for (int user = 31; user <= 40; user++) {
                HttpResponse<String> answer = api.get("/v1/orgs/1/users/" + user);
                assertEquals(200, answer.statusCode(), answer.body());
                assertEquals("MISS", header(answer, "X-Cache"));
            }
            assertEquals("L1", header(api.get("/v1/orgs/1/users/31"), "X-Cache"), "filled into L1 from Postgres");
            assertTrue(fallbacks() >= fallbacks + 10, "every miss fell back: " + (fallbacks() - fallbacks));
            assertNotEquals("CLOSED", evictions.status().l2Circuit());
            HttpResponse<String> readiness = api.get("/health/readiness");
            assertEquals(200, readiness.statusCode(), "L2 down does not make the service unready");
            assertTrue(readiness.body().contains("\"l2\":\"DOWN\""), readiness.body());
        } finally {
            redis.start();
        }

        AtomicInteger probe = new AtomicInteger(150);
        Wait.until("the L2 circuit closed again", () -> {
            api.get("/v1/orgs/2/users/" + probe.incrementAndGet());
            return evictions.status().l2Up();
        });
        Wait.until("resubscribed to evictions",
                () -> Meters.count(registry, "commitcast.l1.flushes", "reason", "resubscribed") > 0);
        assertEquals("MISS", header(api.get("/v1/orgs/3/users/310"), "X-Cache"));
        evictions.evictLocally(List.of(DemoKeys.user(3, 310)));
        assertEquals("L2", header(api.get("/v1/orgs/3/users/310"), "X-Cache"), "L2 serves again");
        assertTrue(api.get("/health/readiness").body().contains("\"l2\":\"UP\""));
    }

    private long fallbacks() {
        return metrics.fallbacks(Fallback.L2_ERROR) + metrics.fallbacks(Fallback.L2_UNAVAILABLE);
    }
}
