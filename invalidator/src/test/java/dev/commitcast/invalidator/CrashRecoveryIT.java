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
import dev.commitcast.invalidator.apply.SimulatedCrash;
import dev.commitcast.invalidator.health.InvalidatorStatus.State;
import dev.commitcast.invalidator.support.Fixture;
import dev.commitcast.core.CacheKey;
import dev.commitcast.testsupport.DemoKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A crash anywhere before the commit loses nothing: the restarted invalidator re-applies the batch. */
class CrashRecoveryIT {

    private static final CacheKey USER = DemoKeys.user(1, 9);
    private static final CacheKey LIST = DemoKeys.userList(1);

    @Test
    void crashAfterDeleteBeforeCommitIsReappliedAfterRestart() throws Exception {
        try (Fixture fx = new Fixture("crash-after")) {
            prepare(fx);
            Invalidator first = fx.start(crashAt("after delete"), new SimpleMeterRegistry());

            assertTrue(first.awaitTermination(WAIT), "the simulated crash stops the loop");
            assertEquals(State.CRASHED, first.status().state());
            assertFalse(fx.cached(USER), "deleted before the crash");
            assertEquals(Map.of(), fx.committed(), "nothing committed");
            first.close();

            fx.seed(USER, LIST); // a stale refill racing the crash: the re-application must delete it again
            fx.start(ApplyHooks.NONE, new SimpleMeterRegistry());

            await().atMost(WAIT).until(() -> fx.committed("users", 0) == 1);
            assertFalse(fx.cached(USER), "re-applied after restart");
            assertFalse(fx.cached(LIST));
        }
    }

    @Test
    void crashBeforeDeleteLeavesTheKeysAndTheRestartDeletesThem() throws Exception {
        try (Fixture fx = new Fixture("crash-before")) {
            prepare(fx);
            Invalidator first = fx.start(crashAt("before delete"), new SimpleMeterRegistry());

            assertTrue(first.awaitTermination(WAIT));
            assertEquals(State.CRASHED, first.status().state());
            assertTrue(fx.cached(USER), "the crash came before the delete");
            assertEquals(Map.of(), fx.committed());
            first.close();

            fx.start(ApplyHooks.NONE, new SimpleMeterRegistry());

            await().atMost(WAIT).until(() -> fx.committed("users", 0) == 1);
            assertFalse(fx.cached(USER));
            assertFalse(fx.cached(LIST));
        }
    }

    private static void prepare(Fixture fx) {
        fx.createTopics(1, "users");
        fx.seed(USER, LIST);
        fx.send("users", 0, key("id", 9), change("users", "u", row("id", 9, "org_id", 1),
                row("id", 9, "org_id", 1), 100));
    }

    private static ApplyHooks crashAt(String point) {
        return new ApplyHooks() {
            @Override
            public void beforeDelete(BatchInfo batch) {
                if (point.equals("before delete")) {
                    throw new SimulatedCrash("killed before the delete of " + batch.offsets());
                }
            }

            @Override
            public void beforeCommit(BatchInfo batch) {
                if (point.equals("after delete")) {
                    throw new SimulatedCrash("killed after the delete, before the commit of " + batch.offsets());
                }
            }
        };
    }
}
