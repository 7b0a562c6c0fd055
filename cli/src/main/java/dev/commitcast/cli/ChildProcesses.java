package dev.commitcast.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What every child process the launcher starts (services, Prometheus) needs: a bounded stop and its log's tail. */
final class ChildProcesses {
    private ChildProcesses() {
    }

    /**
     * SIGTERM, so the child shuts down cleanly, then SIGKILL when it has not exited within {@code grace} — to the
     * child and to whatever it started, which would otherwise outlive it (a JVM that trains its class cache starts
     * another JVM at exit to write it).
     */
    static void stop(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                killWithDescendants(process).waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            killWithDescendants(process);
            Thread.currentThread().interrupt();
        }
    }

    private static Process killWithDescendants(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        return process.destroyForcibly();
    }

    /** The last {@code count} lines of a log, for error messages. */
    static String tail(Path log, int count) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
