package dev.commitcast.cdc.engine;

import dev.commitcast.cdc.CdcException;
import dev.commitcast.cdc.CdcSettings;
import dev.commitcast.cdc.continuity.StreamContinuity;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.JsonByteArray;
import java.io.IOException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Debezium engine on its own thread and keeps it running, each run preceded by the continuity check
 * ({@link StreamContinuity}): when the engine stops with a retriable failure
 * (Kafka did not acknowledge a batch, Postgres went away, the slot is held by another process) it builds a new engine
 * after an exponential back-off, which resumes from the last committed offset; a permanent failure (authentication,
 * configuration, an event we cannot interpret) ends the loop and fails {@link #termination()}. Every failure is
 * logged and reported to the {@link Observer}.
 */
public final class EngineSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(EngineSupervisor.class);
    /** A run that streamed at least this long resets the back-off: the failure was not a crash loop. */
    private static final Duration HEALTHY_RUN = Duration.ofMinutes(1);

    /** Lifecycle events, for status, health and metrics. Called on the supervisor's or the engine's threads. */
    public interface Observer {
        /** The engine of a new run is starting (connecting, opening or creating the slot). */
        void connecting();

        /** The engine's task started polling: changes committed from now on are captured. */
        void streaming();

        /** A run ended with a failure; {@code retryIn} is empty when the failure is permanent. */
        void failed(FailureClassifier.Failure failure, java.util.Optional<Duration> retryIn);
    }

    private final CdcSettings settings;
    private final java.util.Optional<String> columnIncludeList;
    private final DebeziumEngine.ChangeConsumer<ChangeEvent<byte[], byte[]>> handler;
    private final Observer observer;
    private final StreamContinuity continuity;
    private final CountDownLatch closeSignal = new CountDownLatch(1);
    private final CompletableFuture<Void> termination = new CompletableFuture<>();
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    private final Object engineLock = new Object();
    private DebeziumEngine<ChangeEvent<byte[], byte[]>> current;
    private CountDownLatch currentFinished;
    private volatile boolean closing;
    private Thread thread;

    /**
     * @param columnIncludeList the columns to publish ({@link ColumnProjection}), empty for all
     * @param continuity        checked before every engine run: the engine starts only from a position proven
     *                          continuous (or after a continuity reset)
     */
    public EngineSupervisor(CdcSettings settings, java.util.Optional<String> columnIncludeList,
                            DebeziumEngine.ChangeConsumer<ChangeEvent<byte[], byte[]>> handler,
                            Observer observer, StreamContinuity continuity) {
        this.settings = settings;
        this.columnIncludeList = columnIncludeList;
        this.handler = handler;
        this.observer = observer;
        this.continuity = continuity;
    }

    /** Starts the supervising thread; returns at once. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = Thread.ofPlatform().name("commitcast-cdc-engine").daemon(false).unstarted(this::loop);
        thread.start();
    }

    /** Completes when the loop ended: normally after {@link #close}, exceptionally after a permanent failure. */
    public CompletableFuture<Void> termination() {
        return termination;
    }

    private void loop() {
        try {
            while (!closing) {
                observer.connecting();
                long started = System.nanoTime();
                Throwable error = runOnce();
                if (closing) {
                    break;
                }
                if (error == null) {
                    error = new CdcException("The Debezium engine stopped on its own without an error");
                }
                FailureClassifier.Failure failure = FailureClassifier.classify(error);
                if (failure.permanent()) {
                    LOG.error("Change data capture stopped by a permanent failure, not retrying: {}", failure.summary(),
                            error);
                    observer.failed(failure, java.util.Optional.empty());
                    termination.completeExceptionally(new CdcException(
                            "Change data capture stopped: " + failure.summary(), error));
                    return;
                }
                if (Duration.ofNanos(System.nanoTime() - started).compareTo(HEALTHY_RUN) >= 0) {
                    backoff.reset();
                }
                Duration delay = backoff.next();
                // Debezium has logged the stack trace already ("Engine has failed with").
                LOG.warn("Debezium engine stopped with a retriable failure ({}); restarting in {} ms from the last "
                        + "committed offset", failure.summary(), delay.toMillis());
                LOG.debug("retriable engine failure", error);
                observer.failed(failure, java.util.Optional.of(delay));
                if (closeSignal.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
            termination.complete(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            termination.complete(null);
        } catch (Throwable t) {
            LOG.error("Engine supervisor failed", t);
            termination.completeExceptionally(t);
        }
    }

    /** Runs one engine until it stops; returns its failure, or null when it stopped cleanly. */
    private Throwable runOnce() {
        try {
            continuity.ensure();
        } catch (RuntimeException e) {
            return e;
        }
        Throwable error = runEngine();
        if (refusesPosition(error)) {
            continuity.positionRefused(error.getMessage());
        }
        return error;
    }

    /** Debezium's "... is no longer available on the server": the stored position cannot be streamed from. */
    private static boolean refusesPosition(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("no longer available on the server")) {
                return true;
            }
        }
        return false;
    }

    private Throwable runEngine() {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        DebeziumEngine<ChangeEvent<byte[], byte[]>> engine;
        try {
            Properties properties = DebeziumProperties.from(settings);
            columnIncludeList.ifPresent(columns -> properties.setProperty("column.include.list", columns));
            engine = DebeziumEngine.create(JsonByteArray.class)
                    .using(properties)
                    .using(new DebeziumEngine.ConnectorCallback() {
                        @Override
                        public void pollingStarted() {
                            observer.streaming();
                        }
                    })
                    .using((success, message, error) -> {
                        if (!success) {
                            failure.set(error != null ? error : new CdcException(message));
                        }
                    })
                    .notifying(handler)
                    .build();
        } catch (RuntimeException e) {
            return failure.get() != null ? failure.get() : e;
        }
        CountDownLatch finished = new CountDownLatch(1);
        synchronized (engineLock) {
            if (closing) {
                return null;
            }
            current = engine;
            currentFinished = finished;
        }
        try {
            engine.run();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        } finally {
            synchronized (engineLock) {
                current = null;
            }
            finished.countDown();
        }
        return failure.get();
    }

    /**
     * Stops the engine (its offsets of acknowledged records are committed on the way) and the loop, waiting up to
     * {@code timeout}. Idempotent.
     */
    public void close(Duration timeout) {
        closing = true;
        closeSignal.countDown();
        long deadline = System.nanoTime() + timeout.toNanos();
        DebeziumEngine<ChangeEvent<byte[], byte[]>> engine;
        CountDownLatch finished;
        synchronized (engineLock) {
            engine = current;
            finished = currentFinished;
        }
        if (engine != null) {
            stopEngine(engine, finished, deadline);
        }
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                t.join(Math.max(remaining, 1));
                if (t.isAlive()) {
                    LOG.warn("Debezium engine did not stop within {} ms; interrupting it", timeout.toMillis());
                    t.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        termination.complete(null);
    }

    private static void stopEngine(DebeziumEngine<ChangeEvent<byte[], byte[]>> engine, CountDownLatch finished,
                                   long deadline) {
        while (System.nanoTime() < deadline) {
            try {
                engine.close();
                return;
            } catch (IllegalStateException e) {
                // "Cannot stop engine while tasks are starting": wait for the start to finish, then stop it.
                if (e.getMessage() != null && e.getMessage().contains("already")) {
                    return;
                }
                try {
                    if (finished.await(50, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } catch (IOException e) {
                LOG.warn("Closing the Debezium engine failed", e);
                return;
            }
        }
    }
}
