package dev.commitcast.devstack;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.devstack.internal.LogTail;
import dev.commitcast.devstack.internal.PidRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Process look-ups for lifecycle tests. */
final class TestProcesses {
    private TestProcesses() {
    }

    /** Descendants of this JVM whose command line mentions {@code workDir}: everything a stack there started. */
    static List<ProcessHandle> startedIn(Path workDir) {
        String dir = workDir.toString();
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(cmd -> cmd.contains(dir)).orElse(false))
                .toList();
    }

    /** Starts {@code main} with {@code args} in a new JVM on this test's class path, its output going to {@code output}. */
    static Process startJvm(Class<?> main, Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** Waits until {@code jvm} printed {@code marker} to {@code output}; fails with its output if it exited first. */
    static void awaitOutput(Process jvm, Path output, String marker, Duration timeout) {
        await("the JVM reports " + marker.strip() + " or exits").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> LogTail.lastLines(output, 200).contains(marker) || !jvm.isAlive());
        assertTrue(LogTail.lastLines(output, 200).contains(marker), () -> "the JVM exited: " + LogTail.describe(output));
    }

    static Map<String, Long> recordedPids(Path workDir) {
        return PidRegistry.read(workDir);
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static Path psql() {
        Stream<Path> onPath = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(d -> Path.of(d, "psql"));
        return Stream.concat(onPath, Stream.of(Path.of("/usr/lib/postgresql/15/bin/psql")))
                .filter(Files::isExecutable).findFirst().orElse(null);
    }
}
