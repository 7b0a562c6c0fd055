package dev.commitcast.api.http;

import dev.commitcast.api.config.CommitcastConfig;
import dev.commitcast.api.data.ApiException;
import dev.commitcast.api.data.DatabaseExecutorFactory;
import dev.commitcast.api.data.SqlErrors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs blocking database work for the write endpoints on the bounded {@code database} executor, so the event loop
 * never waits for Postgres. A full queue fails at once (503); the caller stops waiting after
 * {@code commitcast.db.query-timeout} (503), though a write already started still commits or rolls back on its own.
 */
@Singleton
final class DatabaseCalls {

    private final ExecutorService database;
    private final long timeoutMillis;

    DatabaseCalls(@Named(DatabaseExecutorFactory.NAME) ExecutorService database, CommitcastConfig config) {
        this.database = database;
        this.timeoutMillis = config.db().queryTimeout().toMillis();
    }

    /**
     * Runs the work on the database executor. Failures outside the work's own classification (a transaction that
     * could not even begin because Postgres is down) are classified here, so they answer 503, not 500.
     */
    <T> CompletionStage<T> call(Supplier<T> work) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return work.get();
            } catch (ApiException e) {
                throw e;
            } catch (RuntimeException e) {
                throw SqlErrors.translate(e);
            }
        }, database).orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}
