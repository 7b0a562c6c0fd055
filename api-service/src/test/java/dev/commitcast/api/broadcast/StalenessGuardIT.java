package dev.commitcast.api.broadcast;

import dev.commitcast.client.CommitcastClient;
import dev.commitcast.core.Rules;
import dev.commitcast.testsupport.Repo;
import dev.commitcast.api.support.Api;
import dev.commitcast.api.support.ApiTestSupport;
import dev.commitcast.testsupport.MutableClock;
import dev.commitcast.api.support.RedisProbe;
import dev.commitcast.api.support.Wait;
import dev.commitcast.core.wire.EvictionCodec;
import dev.commitcast.core.wire.EvictionMessage;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Watermark;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.annotation.MockBean;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static dev.commitcast.api.support.Api.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The staleness budget, both sides of it, with heartbeats published by hand and an injected clock: no watermark or
 * an old one bypasses the caches (and readiness says DEGRADED), a fresh one restores them — once the Redis server is
 * the one the invalidator recorded (the client's Redis server check).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StalenessGuardIT extends ApiTestSupport {

    private final MutableClock clock = new MutableClock();

    @Inject
    EmbeddedServer server;
    @Inject
    CommitcastClient client;

    @MockBean(Clock.class)
    Clock clock() {
        return clock;
    }

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("commitcast.staleness.enabled", "true", "commitcast.staleness.budget", "5s");
    }

    @Test
    void cachesAreTrustedOnlyWithinTheStalenessBudgetOnAVerifiedServer() throws InterruptedException {
        Api api = new Api(server.getURI());
        Rules rules = Repo.demoRules(keySpace());
        KeySpace keySpace = rules.keySpace();
        EvictionCodec codec = new EvictionCodec(rules);
        assertEquals("BYPASS", header(api.get("/v1/orgs/1/roles"), "X-Cache"), "no watermark seen yet");
        assertTrue(api.get("/health/readiness").body().contains("\"caches\":\"DEGRADED\""));

        try (RedisProbe redis = new RedisProbe()) {
            Watermark recent = new Watermark(100, clock.instant().minusSeconds(1));
            redis.redis().publish(keySpace.evictionChannel(),
                    codec.encode(EvictionMessage.heartbeat(rules.fingerprint(), "pipeline", 1, clock.millis(), recent)));
            Wait.until("the watermark was seen", () -> client.status().watermark() != null);
            Thread.sleep(1_500); // three of the client's server checks (every 500 ms)
            assertEquals("BYPASS", header(api.get("/v1/orgs/1/roles"), "X-Cache"),
                    "a fresh watermark, but no invalidator has made the key space consistent on this Redis server");
            assertTrue(api.get("/health/readiness").body().contains("none recorded yet"));

            // what the invalidator records once it has invalidated everything on this server (KeySpaceContinuity)
            String runId = redis.redis().info("server").lines().filter(l -> l.startsWith("run_id:"))
                    .map(l -> l.substring(7).strip()).findFirst().orElseThrow();
            redis.redis().set(keySpace.serverKey(), runId);
            Wait.until("the fresh watermark on a verified server restored trust", () -> client.status().trusted());
            assertEquals("MISS", header(api.get("/v1/orgs/1/roles"), "X-Cache"));
            assertEquals("L1", header(api.get("/v1/orgs/1/roles"), "X-Cache"));
            assertTrue(api.get("/health/readiness").body().contains("\"caches\":\"TRUSTED\""));

            clock.advance(Duration.ofSeconds(10));
            assertEquals("BYPASS", header(api.get("/v1/orgs/1/roles"), "X-Cache"), "11 s > 5 s budget");
            String readiness = api.get("/health/readiness").body();
            assertTrue(readiness.contains("\"caches\":\"DEGRADED\"") && readiness.contains("\"stalenessMillis\":11000"),
                    readiness);
            assertTrue(api.get("/metrics").body().contains("commitcast_staleness_seconds 11.0"));

            Watermark fresh = new Watermark(101, clock.instant());
            redis.redis().publish(keySpace.evictionChannel(),
                    codec.encode(EvictionMessage.heartbeat(rules.fingerprint(), "pipeline", 2, clock.millis(), fresh)));
            Wait.until("trust came back with the next watermark", () -> client.status().trusted());
            assertEquals("L1", header(api.get("/v1/orgs/1/roles"), "X-Cache"));
        }
    }
}
