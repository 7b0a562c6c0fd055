package dev.commitcast.devstack.internal;

import dev.commitcast.devstack.DevStackException;
import dev.commitcast.devstack.ServerControl;
import dev.commitcast.devstack.ServerKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server run as a child process of this JVM: start waits until it is ready, stop until it has exited, both within
 * the stack's timeout. A failed start kills what it started and reports the log's last lines. Thread-safe.
 */
public abstract class LocalServer implements ServerControl {
    private static final Logger LOG = LoggerFactory.getLogger(LocalServer.class);
    private static final String BIND_FAILURE = "Address already in use";

    protected final ServerKind kind;
    protected final StackContext ctx;
    private ChildProcess process;

    protected LocalServer(ServerKind kind, StackContext ctx) {
        this.kind = kind;
        this.ctx = ctx;
    }

    /** Spawns the process (after any one-time preparation such as initdb). */
    protected abstract ChildProcess launch(Deadline deadline);

    /** Returns once the server answers; throws if it does not by the deadline or if the process exits. */
    protected abstract void awaitReady(ChildProcess child, Deadline deadline);

    /** Asks the server to stop and waits for the process to exit. */
    protected abstract void shutdown(ChildProcess child, Deadline deadline);

    /** Picks another free port after a bind failure; false when the port is fixed by the options. */
    protected abstract boolean reassignPort();

    protected abstract Path log();

    /** Name of the process in {@code stack.pids}. */
    protected String pidName() {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public final ServerKind kind() {
        return kind;
    }

    @Override
    public final Source source() {
        return Source.LOCAL_PROCESS;
    }

    @Override
    public final boolean controllable() {
        return true;
    }

    @Override
    public final Optional<Path> logFile() {
        return Optional.of(log());
    }

    @Override
    public final synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The pid of the child process while running. */
    public final synchronized Optional<Long> pid() {
        return process == null ? Optional.empty() : Optional.of(process.pid());
    }

    @Override
    public final synchronized void start() {
        if (isRunning()) {
            return;
        }
        try {
            process = startOnce();
        } catch (DevStackException e) {
            if (!LogTail.lastLines(log(), LogTail.DEFAULT_LINES).contains(BIND_FAILURE) || !reassignPort()) {
                throw e;
            }
            LOG.warn("{} lost its port to another process while starting; retrying once on a new port", kind.displayName());
            process = startOnce();
        }
    }

    private ChildProcess startOnce() {
        Deadline deadline = Deadline.after(ctx.startTimeout());
        long started = System.nanoTime();
        ChildProcess child = launch(deadline);
        ctx.pids().register(pidName(), child.pid());
        try {
            awaitReady(child, deadline);
        } catch (RuntimeException e) {
            killQuietly(child);
            throw new DevStackException(kind.displayName() + " did not start: " + e.getMessage() + System.lineSeparator()
                    + LogTail.describe(log()), e);
        }
        LOG.info("{} ready in {} ms (pid {}, log {})", kind.displayName(),
                Duration.ofNanos(System.nanoTime() - started).toMillis(), child.pid(), log());
        return child;
    }

    private void killQuietly(ChildProcess child) {
        try {
            child.kill();
        } catch (RuntimeException e) {
            LOG.warn("Could not kill {} after its failed start: {}", child, e.toString());
        } finally {
            afterExit();
        }
    }

    @Override
    public final synchronized void stop() {
        if (process == null) {
            return;
        }
        ChildProcess child = process;
        try {
            if (child.isAlive()) {
                shutdown(child, Deadline.after(ctx.startTimeout()));
            }
            if (child.isAlive()) {
                LOG.warn("{} did not stop within {}; killing it", child, ctx.startTimeout());
                child.kill();
            }
        } finally {
            process = null;
            afterExit();
        }
    }

    /** Forgets the pids of the stopped process; subclasses that register more names extend this. */
    protected void afterExit() {
        ctx.pids().unregister(pidName());
    }

    /** Throws if the child has exited (a startup failure). */
    protected static void requireAlive(ChildProcess child) {
        if (!child.isAlive()) {
            throw new DevStackException("its process exited with code " + child.exitValue());
        }
    }
}
