package dev.commitcast.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.devstack.internal.LogTail;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stack whose owner stops it ({@link DevStack#closeOnlyExplicitly()}) keeps running through the owner's own
 * shutdown hook at SIGTERM, instead of being stopped concurrently by the stack's hook, and is stopped by its close.
 */
class OwnerShutdownIT {

    @Test
    void serversOutliveTheOwnersShutdownWorkThenStop(@TempDir Path workDir) throws Exception {
        Path output = workDir.resolve("owner.out");
        Process owner = TestProcesses.startJvm(OwnerStopsStackMain.class, output, workDir.resolve("stack").toString());
        try {
            TestProcesses.awaitOutput(owner, output, "READY", Duration.ofSeconds(60));
            Map<String, Long> pids = TestProcesses.recordedPids(workDir.resolve("stack"));
            assertTrue(pids.containsKey("redis"), pids.toString());

            owner.destroy(); // SIGTERM: shutdown hooks run
            assertTrue(owner.waitFor(60, TimeUnit.SECONDS), "the owner JVM did not exit");
            String out = LogTail.lastLines(output, 200);
            assertTrue(out.contains("DURING THE OWNER'S HOOK: +PONG"), out);
            assertTrue(out.contains("CLOSED"), out);
            assertEquals(Map.of(), TestProcesses.recordedPids(workDir.resolve("stack")));
            assertEquals(List.of(), TestProcesses.startedIn(workDir.resolve("stack")));
            // startedIn only sees the owner's children while the owner lives: check the recorded ones by pid too
            assertTrue(pids.values().stream().noneMatch(TestProcesses::alive), "a server outlived its close: " + pids);
        } finally {
            if (owner.isAlive()) {
                owner.destroyForcibly();
            }
        }
    }

    @Test
    void theSharedStackCannotBeLeftToACaller() {
        assertThrows(IllegalStateException.class, () -> DevStack.shared().closeOnlyExplicitly());
    }
}
