package dev.commitcast.devstack.internal;

import dev.commitcast.devstack.DevStackException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Stops the stack's servers when this JVM dies without running its shutdown hooks (SIGKILL, a Failsafe timeout).
 *
 * <p>A tiny {@code sh} child blocks reading its stdin, a pipe from this JVM. A clean close writes {@code disarm} and it
 * exits. If the JVM dies, the pipe closes, {@code read} returns, and it signals every pid in {@code stack.pids}
 * (SIGINT for the postmaster = fast shutdown, SIGTERM for the rest), then SIGKILLs what is left after 10 s. Postgres
 * and Redis have no parent-death detection of their own; the Kafka child also has its own watchdog.
 */
public final class OrphanReaper {
    private static final String SCRIPT = """
            read -r cmd
            [ "$cmd" = disarm ] && exit 0
            pids="$1"
            [ -f "$pids" ] || exit 0
            while read -r name pid; do
              case "$name" in
                *-launcher) ;;
                postgres) kill -INT "$pid" 2>/dev/null ;;
                *) kill -TERM "$pid" 2>/dev/null ;;
              esac
            done < "$pids"
            i=0
            while [ $i -lt 20 ]; do
              alive=0
              while read -r name pid; do kill -0 "$pid" 2>/dev/null && alive=1; done < "$pids"
              [ $alive = 0 ] && exit 0
              sleep 0.5
              i=$((i+1))
            done
            while read -r name pid; do kill -KILL "$pid" 2>/dev/null; done < "$pids"
            """;

    private final Process process;

    private OrphanReaper(Process process) {
        this.process = process;
    }

    public static OrphanReaper start(Path pidFile) {
        try {
            Process process = new ProcessBuilder(List.of("sh", "-c", SCRIPT, "commitcast-devstack-reaper", pidFile.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return new OrphanReaper(process);
        } catch (IOException e) {
            throw new DevStackException("Could not start the orphan reaper (sh): " + e, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Tells the reaper the stack was stopped cleanly; it exits without signalling anything. */
    public void disarm() {
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write("disarm\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // It already exited (nothing to disarm) or its pipe broke: make sure it is gone either way.
            process.destroyForcibly();
        }
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
