package dev.commitcast.devstack;

import dev.commitcast.devstack.internal.PidRegistry;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
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
