package dev.commitcast.devstack;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Lifecycle of one server of a {@link DevStack}, so a test can take a server down and bring it back.
 *
 * <p>Only servers this stack started as local processes are {@linkplain #controllable() controllable}; they
 * restart on the same port (and, for Postgres and Kafka, with the same data). Endpoints taken from the
 * environment or from a Testcontainers container throw {@link IllegalStateException} from {@link #stop()} and
 * {@link #start()}. Calls are thread-safe; both return once the server is down, or ready, respectively.
 */
public interface ServerControl {

    /** Where a server came from, in the order the dev stack tries them. */
    enum Source {
        /** An endpoint named by an environment variable ({@code COMMITCAST_*}); nothing was started. */
        ENVIRONMENT,
        /** A child process started from local binaries (or, for Kafka, from the classpath). */
        LOCAL_PROCESS,
        /** A Testcontainers container (only when no local binary exists and Docker is reachable). */
        CONTAINER
    }

    ServerKind kind();

    Source source();

    /** True when {@link #stop()} and {@link #start()} work: the server is a local process of this stack. */
    boolean controllable();

    /** Stops the server; returns once its process has exited. Idempotent. */
    void stop();

    /** Starts the server again on the same port; returns once it is ready. Idempotent. */
    void start();

    /** True while the server's process is running (for uncontrollable servers: while it was not closed). */
    boolean isRunning();

    /** The server's log file, for local processes. */
    Optional<Path> logFile();
}
