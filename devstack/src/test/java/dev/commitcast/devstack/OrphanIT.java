package dev.commitcast.devstack;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM killed with SIGKILL (no shutdown hooks) leaves no server behind: the reaper and Kafka's watchdog stop them. */
class OrphanIT {

    @Test
    void sigkilledJvmLeavesNoOrphans(@TempDir Path workDir) throws Exception {
        // @TempDir is rwx------; Postgres runs as the postgres OS user when the build runs as root.
        Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path output = workDir.resolve("holder.out");
        Process holder = TestProcesses.startJvm(StackHolderMain.class, output, workDir.resolve("stack").toString());
        try {
            TestProcesses.awaitOutput(holder, output, "READY ", Duration.ofSeconds(120));
            Map<String, Long> pids = TestProcesses.recordedPids(workDir.resolve("stack"));
            assertTrue(pids.keySet().containsAll(List.of("postgres", "redis", "kafka")), pids.toString());
            List<ProcessHandle> started = holder.descendants().toList();

            holder.destroyForcibly();  // SIGKILL
            assertTrue(holder.waitFor(10, TimeUnit.SECONDS));

            await("every server of the killed JVM exits").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> pids.values().stream().noneMatch(TestProcesses::alive)
                            && started.stream().noneMatch(ProcessHandle::isAlive));
        } finally {
            if (holder.isAlive()) {
                holder.destroyForcibly();
            }
        }
        assertFalse(holder.isAlive());
    }
}
