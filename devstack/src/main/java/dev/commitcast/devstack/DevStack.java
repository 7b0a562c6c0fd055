package dev.commitcast.devstack;

import dev.commitcast.devstack.internal.PidRegistry;
import dev.commitcast.devstack.internal.StackRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Private Postgres, Redis and Kafka servers on free loopback ports, for tests and the local platform.
 *
 * <p>Each server comes from the first source that works: an endpoint named in the environment
 * ({@code COMMITCAST_PG_URL}, {@code COMMITCAST_REDIS_URL}, {@code COMMITCAST_KAFKA_BOOTSTRAP}); a local process
 * (Postgres and Redis binaries, a Kafka KRaft node in a child JVM from the classpath); a Testcontainers container when
 * a Docker engine is reachable; otherwise the start fails with a message that says what to install.
 *
 * <p>When {@link #start} returns, every selected server is ready: a JDBC query as the application role succeeded,
 * Redis answered PING, Kafka's {@code describeCluster} listed the broker. Data and logs live in {@link #workDir()};
 * {@code stack.pids} there lists the child processes. {@link #close()} stops them all, also on JVM shutdown, and a
 * watchdog stops them if this JVM is killed. Accessors are thread-safe.
 */
public final class DevStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DevStack.class);
    private static final Object SHARED_LOCK = new Object();
    private static DevStack shared;
    private static RuntimeException sharedFailure;

    private final StackRuntime runtime;
    private final boolean isShared;
    private final Thread shutdownHook;
    private boolean closed;

    private DevStack(StackRuntime runtime, boolean isShared) {
        this.runtime = runtime;
        this.isShared = isShared;
        this.shutdownHook = new Thread(this::stopEverything, "devstack-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * The JVM-wide stack with {@link DevStackOptions#defaults()}, started on first use (thread-safe; other callers
     * wait) and stopped by a shutdown hook. Tests of a module share it: isolate with
     * {@link PostgresEndpoint#createDatabase}, unique topics and key prefixes. Its {@link #close()} does nothing.
     * A failed start is remembered: later calls throw at once instead of waiting for the timeout again.
     */
    public static DevStack shared() {
        synchronized (SHARED_LOCK) {
            if (shared != null) {
                return shared;
            }
            if (sharedFailure != null) {
                throw new DevStackException("The shared dev stack failed to start earlier in this JVM: "
                        + sharedFailure.getMessage(), sharedFailure);
            }
            try {
                shared = new DevStack(StackRuntime.start(DevStackOptions.defaults()), true);
                return shared;
            } catch (RuntimeException e) {
                sharedFailure = e;
                throw e;
            }
        }
    }

    /**
     * Starts a stack the caller owns and must {@link #close()}.
     *
     * @throws DevStackException if a server cannot be found or started (the message includes its log's last lines);
     *                           whatever had started is stopped again
     */
    public static DevStack start(DevStackOptions options) {
        return start(options, ReadyHooks.NONE);
    }

    /**
     * Starts a stack the caller owns and must {@link #close()}, running {@code hooks} on each server as soon as it is
     * ready while the others are still starting (for example: migrate and load Postgres while Kafka boots). When this
     * returns, every hook has run; a hook that throws fails the start like a server that did not start.
     *
     * @throws DevStackException if a server cannot be found or started, or a hook failed with a checked exception (a
     *                           hook's unchecked exception is thrown as it is); whatever had started is stopped again
     */
    public static DevStack start(DevStackOptions options, ReadyHooks hooks) {
        return new DevStack(StackRuntime.start(options, hooks), false);
    }

    /**
     * What to run on a server as soon as it is ready, on the thread that started it, before {@link #start} returns.
     * Hooks of different servers run concurrently.
     */
    public interface ReadyHooks {
        /** Runs nothing. */
        ReadyHooks NONE = new ReadyHooks() {
        };

        default void postgresReady(PostgresEndpoint postgres) throws Exception {
        }

        default void redisReady(RedisEndpoint redis) throws Exception {
        }

        default void kafkaReady(KafkaEndpoint kafka) throws Exception {
        }
    }

    /** @throws IllegalStateException if Postgres is not part of this stack's options */
    public PostgresEndpoint postgres() {
        return runtime.postgres().endpoint();
    }

    /**
     * The superuser of a Postgres this stack initialized itself (for tests and operators that create roles, e.g. to
     * try least-privilege grants); empty for a Postgres from the environment, a container or an existing data
     * directory.
     *
     * @throws IllegalStateException if Postgres is not part of this stack's options
     */
    public java.util.Optional<PostgresEndpoint> postgresSuperuser() {
        return runtime.postgres() instanceof dev.commitcast.devstack.internal.PostgresServer local
                ? local.superuserEndpoint() : java.util.Optional.empty();
    }

    /** @throws IllegalStateException if Redis is not part of this stack's options */
    public RedisEndpoint redis() {
        return runtime.redis().endpoint();
    }

    /** @throws IllegalStateException if Kafka is not part of this stack's options */
    public KafkaEndpoint kafka() {
        return runtime.kafka().endpoint();
    }

    /** Stop/start one server, e.g. to simulate an outage. */
    public ServerControl server(ServerKind kind) {
        return runtime.server(kind);
    }

    public Path workDir() {
        return runtime.workDir();
    }

    /** {@code <workDir>/stack.pids}: {@code <name> <pid>} per running child process. */
    public Path pidFile() {
        return runtime.pidFile();
    }

    /**
     * The processes listed in {@code <workDir>/stack.pids} that are still alive, by name; empty after a clean
     * {@link #close()} or once the orphan watchdog has done its work. For a launcher's {@code down} to verify.
     */
    public static Map<String, Long> leftoverProcesses(Path workDir) {
        Map<String, Long> alive = new LinkedHashMap<>();
        PidRegistry.read(workDir).forEach((name, pid) -> {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                alive.put(name, pid);
            }
        });
        return alive;
    }

    /** How long each server took to become ready (selection included), for benchmarks. */
    public Map<ServerKind, Duration> startDurations() {
        return runtime.startDurations();
    }

    /** Wall time of the whole start; servers start in parallel. */
    public Duration totalStartDuration() {
        return runtime.totalStartDuration();
    }

    /**
     * Stops every server this stack started and waits until their processes have exited; idempotent. A temporary
     * work directory is deleted. Does nothing on the {@linkplain #shared() shared} stack.
     */
    @Override
    public void close() {
        if (isShared) {
            LOG.debug("close() on the shared dev stack ignored; it stops at JVM shutdown");
            return;
        }
        stopEverything();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and runs the hook itself; stopEverything is idempotent.
            LOG.debug("JVM shutdown in progress; the hook stops the stack");
        }
    }

    /**
     * Leaves stopping this stack at JVM shutdown to its owner: removes the shutdown hook that would stop the servers
     * on exit. For an owner whose own shutdown hook first stops what uses the servers and then calls {@link #close()}
     * — the JVM runs shutdown hooks concurrently, so with both the servers would go away under the running clients.
     * If this JVM is killed, the orphan reaper still stops them. Returns this stack.
     */
    public DevStack closeOnlyExplicitly() {
        if (isShared) {
            throw new IllegalStateException("the shared dev stack stops at JVM shutdown; start your own to own its stop");
        }
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
        return this;
    }

    private void stopEverything() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        runtime.close();
    }

    @Override
    public String toString() {
        return "DevStack[" + runtime.workDir() + ": " + runtime.describe() + "]";
    }
}
