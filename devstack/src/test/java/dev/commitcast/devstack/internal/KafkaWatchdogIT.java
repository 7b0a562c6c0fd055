package dev.commitcast.devstack.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.devstack.DevStackOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker JVM exits on its own when its parent process dies (no reaper involved). */
class KafkaWatchdogIT {

    @Test
    void brokerExitsWhenItsParentDies(@TempDir Path workDir) throws Exception {
        KafkaServer server = new KafkaServer(new StackContext(DevStackOptions.builder().workDir(workDir).build(),
                workDir, new PidRegistry(workDir, () -> { })));
        Path dir = Files.createDirectories(workDir.resolve("kafka"));
        Files.writeString(dir.resolve("server.properties"), server.serverProperties());
        Path log = dir.resolve("broker.log");

        Process fakeParent = new ProcessBuilder("sleep", "300").start();
        ChildProcess broker = ChildProcess.start("kafka", List.of(
                ProcessHandle.current().info().command().orElseThrow(), KafkaServer.MAX_HEAP,
                "-cp", System.getProperty("java.class.path"), KafkaBrokerMain.class.getName(),
                Long.toString(fakeParent.pid()), dir.resolve("server.properties").toString()), log, Map.of());
        try {
            await("broker started").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> contains(log, KafkaBrokerMain.READY_LINE) || !broker.isAlive());
            assertTrue(broker.isAlive(), () -> LogTail.describe(log));

            fakeParent.destroyForcibly();

            await("broker exits after its parent").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !broker.isAlive());
            assertTrue(contains(log, "parent pid " + fakeParent.pid() + " exited"), () -> LogTail.describe(log));
        } finally {
            fakeParent.destroyForcibly();
            if (broker.isAlive()) {
                broker.kill();
            }
        }
    }

    private static boolean contains(Path log, String text) {
        return LogTail.lastLines(log, 2000).contains(text);
    }
}
