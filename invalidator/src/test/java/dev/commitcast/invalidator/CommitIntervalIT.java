package dev.commitcast.invalidator;

import static dev.commitcast.testsupport.Envelopes.change;
import static dev.commitcast.testsupport.Envelopes.key;
import static dev.commitcast.testsupport.Envelopes.row;
import static dev.commitcast.invalidator.support.Fixture.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.invalidator.apply.ApplyHooks;
import dev.commitcast.invalidator.support.Fixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Offsets are committed only after their batch is applied, and at most once per {@code commit-interval}: at a steady
 * rate, the batches applied within an interval share one commit instead of each waiting for its own.
 */
class CommitIntervalIT {
    private static final int CHANGES = 60;

    @Test
    void batchesAppliedWithinAnIntervalShareOneCommit() throws Exception {
        try (Fixture fx = new Fixture("commit-interval")) {
            Duration interval = Duration.ofMillis(500);
            Run run = sendOneAtATime(fx, interval);
            assertTrue(run.batches() >= 10, "precondition: the changes arrived in many batches: " + run);
            // One commit may be made at once (after a quiet period), then one per interval; plus the last one.
            long allowed = run.elapsed().toMillis() / interval.toMillis() + 2;
            assertTrue(run.commits() <= allowed, "at most " + allowed + " commits expected: " + run);
            assertTrue(run.commits() >= 1, run.toString());
        }
    }

    @Test
    void zeroCommitsAfterEveryBatch() throws Exception {
        try (Fixture fx = new Fixture("commit-every-batch")) {
            Run run = sendOneAtATime(fx, Duration.ZERO);
            assertTrue(run.batches() >= 10, "precondition: the changes arrived in many batches: " + run);
            // The counter moves just after Kafka accepted the last commit, which the wait above saw.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(run.batches(), run.commits()));
        }
    }

    /** The invalidator's counts, read from its meters when asked. */
    private record Run(SimpleMeterRegistry registry, Duration elapsed) {
        long batches() {
            return registry.summary("commitcast.invalidator.batch.records").count();
        }

        long commits() {
            return (long) registry.counter("commitcast.invalidator.offset.commits").count();
        }

        @Override
        public String toString() {
            return batches() + " batches, " + commits() + " commits in " + elapsed.toMillis() + " ms";
        }
    }

    /**
     * Sends the changes one by one, each once the previous one was applied (so each is a batch of its own), and waits
     * until the last is committed.
     */
    private static Run sendOneAtATime(Fixture fx, Duration interval) {
        fx.createTopics(1, "users");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        fx.start(fx.config().commitInterval(interval).build(), ApplyHooks.NONE, registry);
        long started = System.nanoTime();
        long last = -1;
        for (int i = 0; i < CHANGES; i++) {
            last = fx.send("users", 0, key("id", i), change("users", "u", row("id", i, "org_id", 1, "email", "a@x.io"),
                    row("id", i, "org_id", 1, "email", "b@x.io"), 100 + i));
            long sent = i + 1;
            await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(() -> registry.counter("commitcast.invalidator.records.applied").count() >= sent);
        }
        long end = last + 1;
        await().atMost(WAIT).until(() -> fx.committed("users", 0) == end);
        Run run = new Run(registry, Duration.ofNanos(System.nanoTime() - started));
        System.out.println("commit-interval " + interval.toMillis() + " ms: " + run);
        return run;
    }
}
