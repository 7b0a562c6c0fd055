package dev.commitcast.api.data;

import dev.commitcast.api.config.CommitcastConfig;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code database} executor: every Postgres call runs here, never on the event loop. Bounded twice: at most
 * {@code commitcast.db.threads} calls run at once (matching the JDBC pool), at most
 * {@code commitcast.db.queue-capacity} wait; beyond that a call is rejected at once with
 * {@link DataUnavailableException} (503) instead of queueing without bound.
 */
@Factory
public class DatabaseExecutorFactory {

    /** The bean name. */
    public static final String NAME = "database";

    /** Returns the bounded pool; shut down with the context. */
    @Singleton
    @Named(NAME)
    @Bean(preDestroy = "shutdown")
    ExecutorService databaseExecutor(CommitcastConfig config) {
        int threads = config.db().threads();
        int capacity = config.db().queueCapacity();
        AtomicInteger counter = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
                r -> {
                    Thread thread = new Thread(r, "db-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                (task, pool) -> {
                    throw new DataUnavailableException("database busy: " + capacity
                            + " calls already waiting (commitcast.db.queue-capacity)",
                            new RejectedExecutionException("database executor queue full"));
                });
    }
}
