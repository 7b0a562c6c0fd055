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
import dev.commitcast.invalidator.apply.BatchInfo;
import dev.commitcast.invalidator.support.Broadcasts;
import dev.commitcast.invalidator.support.Fixture;
import dev.commitcast.core.CacheKey;
import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.core.wire.EvictionMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A batch deletes exactly the dependent keys and leases, then broadcasts them, then commits. */
class ApplyIT {

    private static final Set<CacheKey> DEPENDENT = Set.of(
            DemoKeys.user(1, 9), DemoKeys.userList(1), DemoKeys.user(2, 9), DemoKeys.userList(2), // user 9: org 1 -> 2
            DemoKeys.settings(1),                                                                  // settings of org 1
            DemoKeys.roles(1), DemoKeys.rolePermissions(1, 7));                                    // role 7 deleted
    private static final Set<CacheKey> UNRELATED = Set.of(DemoKeys.user(1, 10), DemoKeys.settings(2),
            DemoKeys.rolePermissions(1, 8), DemoKeys.userList(3), DemoKeys.roles(2));

    @Test
    void deletesExactlyTheDependentKeysThenBroadcastsThenCommits() throws Exception {
        try (Fixture fx = new Fixture("apply")) {
            fx.createTopics(1, "users", "org_settings", "roles");
            fx.seed(DEPENDENT.toArray(CacheKey[]::new));
            fx.seed(UNRELATED.toArray(CacheKey[]::new));
            Broadcasts broadcasts = fx.subscribe();
            fx.send("users", 0, key("id", 9), change("users", "u", row("id", 9, "org_id", 1, "email", "a@x.io"),
                    row("id", 9, "org_id", 2, "email", "a@x.io"), 100));
            fx.send("org_settings", 0, key("org_id", 1), change("org_settings", "u", row("org_id", 1, "locale", "en"),
                    row("org_id", 1, "locale", "de"), 101));
            fx.send("roles", 0, key("id", 7), change("roles", "d", row("id", 7, "org_id", 1, "name", "admin"), null,
                    102));
            fx.send("roles", 0, key("id", 7), null); // the tombstone after the delete

            // At the commit point of every batch: its keys are gone, its broadcast went out, its offsets are not
            // committed yet.
            List<String> violations = new CopyOnWriteArrayList<>();
            List<BatchInfo> batches = new CopyOnWriteArrayList<>();
            ApplyHooks checkCommitPoint = new ApplyHooks() {
                @Override
                public void beforeCommit(BatchInfo batch) {
                    batches.add(batch);
                    batch.invalidation().keys().stream().filter(fx::cached)
                            .forEach(k -> violations.add("still cached before commit: " + k));
                    Map<TopicPartition, Long> committed = fx.committed();
                    batch.offsets().forEach((tp, range) -> {
                        if (committed.getOrDefault(tp, 0L) > range.first()) {
                            violations.add("committed before the delete: " + tp + " " + committed.get(tp));
                        }
                    });
                    try {
                        broadcasts.await("for " + batch.offsets(), m -> m.keys().containsAll(batch.invalidation().keys()),
                                WAIT);
                    } catch (InterruptedException e) {
                        // the check of this batch did not run: a failure, never a silent pass
                        violations.add("interrupted while checking the broadcast of " + batch.offsets());
                        Thread.currentThread().interrupt();
                    } catch (AssertionError e) {
                        violations.add(e.getMessage());
                    }
                }
            };
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            fx.start(checkCommitPoint, registry);

            await().atMost(WAIT).until(() -> fx.committed("users", 0) == 1 && fx.committed("org_settings", 0) == 1
                    && fx.committed("roles", 0) == 2);

            assertEquals(List.of(), violations);
            for (CacheKey key : DEPENDENT) {
                assertFalse(fx.cached(key), "value and lease deleted: " + key);
            }
            for (CacheKey key : UNRELATED) {
                assertTrue(fx.redis().exists(fx.keySpace.valueKey(key)) == 1 && fx.redis().exists(fx.keySpace.leaseKey(key)) == 1,
                        "kept: " + key);
            }

            List<EvictionMessage> messages = broadcasts.all();
            Set<CacheKey> broadcastKeys = new HashSet<>();
            messages.forEach(m -> broadcastKeys.addAll(m.keys()));
            assertEquals(DEPENDENT, broadcastKeys);
            for (int i = 1; i < messages.size(); i++) {
                assertEquals(messages.get(0).publisherId(), messages.get(i).publisherId());
                assertEquals(messages.get(i - 1).sequence() + 1, messages.get(i).sequence(), "gap-free sequence");
            }
            assertTrue(!batches.isEmpty());

            assertEquals(3.0, registry.get("commitcast.invalidator.records.applied").counter().count());
            assertEquals(1.0, registry.get("commitcast.invalidator.records.skipped").tag("kind", "tombstone")
                    .counter().count());
            assertEquals(3, registry.get("commitcast.invalidator.commit.to.delete").timer().count());
            assertEquals(3, registry.get("commitcast.invalidator.commit.to.broadcast").timer().count());
            assertEquals(DEPENDENT.size(), registry.get("commitcast.invalidator.keys.invalidated").counter().count());
            assertEquals(2.0 * DEPENDENT.size(), registry.get("commitcast.invalidator.keys.deleted").counter().count(),
                    "a value and a lease per key");
        }
    }
}
