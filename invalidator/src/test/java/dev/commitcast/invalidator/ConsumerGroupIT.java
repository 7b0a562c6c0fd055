package dev.commitcast.invalidator;

import static dev.commitcast.testsupport.Envelopes.change;
import static dev.commitcast.testsupport.Envelopes.key;
import static dev.commitcast.testsupport.Envelopes.row;
import static dev.commitcast.invalidator.support.Fixture.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.invalidator.apply.ApplyHooks;
import dev.commitcast.invalidator.support.Fixture;
import dev.commitcast.core.CacheKey;
import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.core.Watermark;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Two instances in one group split the partitions and both apply their share. */
class ConsumerGroupIT {

    private static final int PARTITIONS = 4;

    @Test
    void twoInstancesSplitThePartitionsAndBothApply() throws Exception {
        try (Fixture fx = new Fixture("group")) {
            fx.createTopics(PARTITIONS, "users");
            Invalidator a = fx.start(ApplyHooks.NONE, new SimpleMeterRegistry());
            await().atMost(WAIT).until(() -> a.status().assigned().size() == PARTITIONS);
            Invalidator b = fx.start(ApplyHooks.NONE, new SimpleMeterRegistry());
            await().atMost(WAIT).until(() -> !a.status().assigned().isEmpty() && !b.status().assigned().isEmpty()
                    && a.status().assigned().size() + b.status().assigned().size() == PARTITIONS);
            Set<String> union = new HashSet<>(a.status().assigned());
            union.addAll(b.status().assigned());
            assertEquals(PARTITIONS, union.size(), "disjoint: " + a.status().assigned() + " / " + b.status().assigned());

            for (int p = 0; p < PARTITIONS; p++) {
                fx.seed(DemoKeys.user(p + 1, 1));
                fx.send("users", p, key("id", 1), change("users", "u", row("id", 1, "org_id", p + 1),
                        row("id", 1, "org_id", p + 1), 100 + p));
            }

            await().atMost(WAIT).until(() -> fx.committed().size() == PARTITIONS
                    && fx.committed().values().stream().allMatch(offset -> offset == 1));
            for (int p = 0; p < PARTITIONS; p++) {
                assertFalse(fx.cached(DemoKeys.user(p + 1, 1)), "partition " + p + " applied");
            }
            for (Invalidator instance : List.of(a, b)) {
                assertTrue(instance.status().batchesApplied() >= 1, "both instances applied: " + instance.status());
            }

            // Each instance's global watermark spans every partition, not only its own: the minimum is 100
            // whichever instance owns partition 0.
            Instant commit = Instant.now().truncatedTo(ChronoUnit.MICROS);
            for (int p = 0; p < PARTITIONS; p++) {
                fx.sendMarker("users", p, 100L * (p + 1), commit.plusMillis(p));
            }
            Watermark min = new Watermark(100, commit);
            await().atMost(WAIT).until(() -> min.equals(a.status().globalWatermark())
                    && min.equals(b.status().globalWatermark()));
            assertEquals(PARTITIONS, fx.partitionWatermarks().size());
        }
    }
}
