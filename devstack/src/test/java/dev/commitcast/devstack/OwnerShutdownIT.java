package dev.commitcast.devstack;

import static org.awaitility.Awaitility.await;
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
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path output = workDir.resolve("owner.out");
        Process owner = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                OwnerStopsStackMain.class.getName(), workDir.resolve("stack").toString())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            await("the owner JVM reports READY or exits").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> LogTail.lastLines(output, 200).contains("READY") || !owner.isAlive());
            assertTrue(LogTail.lastLines(output, 200).contains("READY"), () -> LogTail.describe(output));

            owner.destroy(); // SIGTERM: shutdown hooks run
            assertTrue(owner.waitFor(60, TimeUnit.SECONDS), "the owner JVM did not exit");
            String out = LogTail.lastLines(output, 200);
            assertTrue(out.contains("DURING THE OWNER'S HOOK: +PONG"), out);
            assertTrue(out.contains("CLOSED"), out);
            assertEquals(Map.of(), TestProcesses.recordedPids(workDir.resolve("stack")));
            assertEquals(List.of(), TestProcesses.startedIn(workDir.resolve("stack")));
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
