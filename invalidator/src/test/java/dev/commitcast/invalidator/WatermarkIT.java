package dev.commitcast.invalidator;

import static dev.commitcast.invalidator.support.Fixture.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.invalidator.apply.ApplyHooks;
import dev.commitcast.invalidator.support.Broadcasts;
import dev.commitcast.invalidator.support.Fixture;
import dev.commitcast.core.wire.EvictionMessage;
import dev.commitcast.core.Watermark;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Markers advance per-partition watermarks in the Redis hash; the global watermark is their minimum over every
 * partition of every change topic, unknown while one has no marker, and is published as heartbeats.
 */
class WatermarkIT {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MICROS).minusSeconds(60);

    @Test
    void globalWatermarkIsTheMinimumOverAllPartitionsAndIsPublishedAsHeartbeats() throws Exception {
        try (Fixture fx = new Fixture("watermark")) {
            fx.createTopics(2, "users", "roles");
            Broadcasts broadcasts = fx.subscribe();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            Invalidator invalidator = fx.start(ApplyHooks.NONE, registry);
            await().atMost(WAIT).until(() -> invalidator.status().assigned().size() == 4);

            fx.sendMarker("users", 0, 100, T0.plusSeconds(10));
            fx.sendMarker("users", 1, 120, T0.plusSeconds(12));
            fx.sendMarker("roles", 0, 110, T0.plusSeconds(11));
            await().atMost(WAIT).until(() -> fx.partitionWatermarks().size() == 3);
            await().atMost(WAIT).until(() -> fx.committed().size() == 3);
            assertEquals(Map.of(
                    fx.topic("users") + "/0", new Watermark(100, T0.plusSeconds(10)).wire(),
                    fx.topic("users") + "/1", new Watermark(120, T0.plusSeconds(12)).wire(),
                    fx.topic("roles") + "/0", new Watermark(110, T0.plusSeconds(11)).wire()),
                    fx.partitionWatermarks());
            assertNull(invalidator.status().globalWatermark(), "roles-1 has no marker yet");
            assertNull(fx.redis().get(fx.keySpace.watermarkKey()));
            assertTrue(broadcasts.all().stream().allMatch(m -> m.watermark() == null),
                    "no watermark published while unknown: " + broadcasts.all());

            fx.sendMarker("roles", 1, 90, T0.plusSeconds(9));
            Watermark min = new Watermark(90, T0.plusSeconds(9));
            broadcasts.await("carrying the minimum", m -> min.equals(m.watermark()), WAIT);
            EvictionMessage first = broadcasts.await("a heartbeat", m -> m.isHeartbeat() && min.equals(m.watermark()),
                    WAIT);
            EvictionMessage second = broadcasts.await("the next heartbeat", EvictionMessage::isHeartbeat, WAIT);
            assertTrue(second.sequence() > first.sequence());
            assertEquals(min, second.watermark());
            assertEquals(min.wire(), fx.redis().get(fx.keySpace.watermarkKey()));
            assertEquals(90.0, registry.get("commitcast.invalidator.watermark.lsn").gauge().value());

            fx.sendMarker("users", 0, 200, T0.plusSeconds(20));
            fx.sendMarker("users", 1, 210, T0.plusSeconds(21));
            fx.sendMarker("roles", 0, 220, T0.plusSeconds(22));
            fx.sendMarker("roles", 1, 230, T0.plusSeconds(23));
            Watermark advanced = new Watermark(200, T0.plusSeconds(20));
            broadcasts.await("the advanced watermark", m -> m.isHeartbeat() && advanced.equals(m.watermark()), WAIT);
            assertEquals(advanced, invalidator.status().globalWatermark());

            // A re-delivered older marker (re-consumption after a crash) never moves a partition back.
            long offset = fx.sendMarker("users", 0, 150, T0.plusSeconds(15));
            await().atMost(WAIT).until(() -> fx.committed("users", 0) == offset + 1);
            assertEquals(new Watermark(200, T0.plusSeconds(20)).wire(),
                    fx.partitionWatermarks().get(fx.topic("users") + "/0"));

            double lagSeconds = registry.get("commitcast.invalidator.lag").tag("topic", fx.topic("roles"))
                    .tag("partition", "1").gauge().value();
            assertTrue(lagSeconds >= 30, "lag from the newest marker's commit time: " + lagSeconds);
            assertTrue(registry.get("commitcast.invalidator.heartbeats").tag("result", "sent").counter().count() >= 2);
        }
    }
}
