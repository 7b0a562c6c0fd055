package dev.commitcast.invalidator;

import static dev.commitcast.testsupport.Envelopes.change;
import static dev.commitcast.testsupport.Envelopes.key;
import static dev.commitcast.testsupport.Envelopes.row;
import static dev.commitcast.invalidator.support.Fixture.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.commitcast.devstack.RedisEndpoint;
import dev.commitcast.invalidator.apply.ApplyHooks;
import dev.commitcast.invalidator.apply.BatchInfo;
import dev.commitcast.invalidator.health.InvalidatorStatus.State;
import dev.commitcast.invalidator.support.Fixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Redis down: the batch is retried with backoff, nothing is committed, and it applies once Redis is back. */
class RedisOutageIT {

    @Test
    void retriesTheSameBatchWithoutCommittingUntilRedisIsBack() throws Exception {
        try (Fixture fx = new Fixture("outage")) {
            RedisEndpoint redis = fx.stack.redis();
            assumeTrue(redis.controllable(), "needs a Redis this JVM can stop and start");
            fx.createTopics(1, "users");
            List<BatchInfo> deleted = new CopyOnWriteArrayList<>();
            ApplyHooks recordDeletes = new ApplyHooks() {
                @Override
                public void afterDelete(BatchInfo batch) {
                    deleted.add(batch);
                }
            };
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            Invalidator invalidator = fx.start(recordDeletes, registry);
            await().atMost(WAIT).until(() -> invalidator.status().assigned().size() == 1);

            redis.stop();
            try {
                fx.send("users", 0, key("id", 9), change("users", "u", row("id", 9, "org_id", 1),
                        row("id", 9, "org_id", 1), 100));
                await().atMost(WAIT).until(() -> redisRetries(registry) >= 3);
                assertEquals(State.RETRYING, invalidator.status().state());
                assertEquals(Map.of(), fx.committed(), "nothing committed while Redis is down");
                assertFalse(invalidator.pingRedis(Duration.ofMillis(200)));
                double before = redisRetries(registry);
                await().atMost(WAIT).until(() -> redisRetries(registry) > before);
                assertEquals(Map.of(), fx.committed(), "still nothing committed after more retries");
                assertTrue(deleted.isEmpty());
            } finally {
                redis.start();
            }

            await().atMost(WAIT).until(() -> fx.committed("users", 0) == 1);
            assertEquals(1, deleted.size(), "applied exactly once, on a retry");
            assertTrue(deleted.getFirst().attempt() > 3, "attempt " + deleted.getFirst().attempt());
            assertEquals(1.0, registry.get("commitcast.invalidator.records.applied").counter().count());
            await().atMost(WAIT).until(() -> invalidator.status().state() == State.RUNNING);
        }
    }

    @Test
    void closeWhileRetryingStopsPromptlyWithoutCommitting() throws Exception {
        try (Fixture fx = new Fixture("outage-close")) {
            RedisEndpoint redis = fx.stack.redis();
            assumeTrue(redis.controllable(), "needs a Redis this JVM can stop and start");
            fx.createTopics(1, "users");
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            Invalidator invalidator = fx.start(ApplyHooks.NONE, registry);
            await().atMost(WAIT).until(() -> invalidator.status().assigned().size() == 1);

            redis.stop();
            try {
                fx.send("users", 0, key("id", 9), change("users", "u", row("id", 9, "org_id", 1),
                        row("id", 9, "org_id", 1), 100));
                await().atMost(WAIT).until(() -> redisRetries(registry) >= 2);
                long start = System.nanoTime();
                invalidator.close();
                assertTrue(invalidator.awaitTermination(Duration.ofMillis(1)), "stopped by close()");
                assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0,
                        "wakeup() ends the paused poll at once");
                assertEquals(State.STOPPED, invalidator.status().state());
                assertEquals(Map.of(), fx.committed(), "the unapplied batch stays uncommitted");
            } finally {
                redis.start();
            }
        }
    }

    private static double redisRetries(SimpleMeterRegistry registry) {
        return registry.get("commitcast.invalidator.retries").tag("step", "redis").counter().count();
    }
}
