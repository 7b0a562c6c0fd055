package dev.commitcast.devstack.internal;

import dev.commitcast.devstack.DevStackException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A server process started by the dev stack, its output appended to a log file. */
public final class ChildProcess {
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);

    private final String name;
    private final Process process;
    private final Path logFile;

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** Starts {@code command} with stdout and stderr appended to {@code logFile} and stdin closed. */
    public static ChildProcess start(String name, List<String> command, Path logFile, Map<String, String> extraEnv) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(extraEnv);
        try {
            return new ChildProcess(name, builder.start(), logFile);
        } catch (IOException e) {
            throw new DevStackException("Could not start " + name + " (" + String.join(" ", command) + "): " + e, e);
        }
    }

    /**
     * Runs a short command to completion within {@code deadline}, output appended to {@code logFile}.
     *
     * @return the exit code
     * @throws DevStackException if it did not finish in time (it is killed) or could not start
     */
    public static int run(String name, List<String> command, Path logFile, Deadline deadline) {
        ChildProcess child = start(name, command, logFile, Map.of());
        if (!child.awaitExit(deadline.remaining())) {
            child.process.destroyForcibly();
            throw new DevStackException(name + " did not finish within " + deadline.budget() + ": "
                    + String.join(" ", command) + System.lineSeparator() + LogTail.describe(logFile));
        }
        return child.process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int exitValue() {
        return process.exitValue();
    }

    public Path logFile() {
        return logFile;
    }

    /** Waits up to {@code timeout} for the process to exit; true if it has. */
    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException("Interrupted while waiting for " + name + " (pid " + pid() + ") to exit", e);
        }
    }

    /** SIGTERM, then SIGKILL (to it and anything it started) if it has not exited within {@code grace}. */
    public void terminate(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(grace)) {
            kill();
        }
    }

    /** SIGKILL to the process and its descendants; waits briefly for the exit. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        if (!awaitExit(KILL_GRACE)) {
            throw new DevStackException(name + " (pid " + pid() + ") survived SIGKILL for " + KILL_GRACE);
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ")";
    }
}
