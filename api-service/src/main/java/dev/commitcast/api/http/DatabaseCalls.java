package dev.commitcast.api.http;

import dev.commitcast.api.config.CommitcastConfig;
import dev.commitcast.api.data.ApiException;
import dev.commitcast.api.data.DatabaseExecutorFactory;
import dev.commitcast.api.data.ReadRepository;
import dev.commitcast.api.data.SqlErrors;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.context.ServerRequestContext;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs blocking database work for the write endpoints on the bounded {@code database} executor, so the event loop
 * never waits for Postgres. A full queue fails at once (503); the caller stops waiting after
 * {@code commitcast.db.query-timeout} (503), though a write already started still commits or rolls back on its own.
 * After the work returned (committed), the WAL insert position is recorded on the request as the write's
 * read-your-writes token ({@link WriteLsn}); if that query fails the write still succeeds, without a token.
 */
@Singleton
final class DatabaseCalls {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseCalls.class);

    private final ExecutorService database;
    private final ReadRepository reads;
    private final long timeoutMillis;

    DatabaseCalls(@Named(DatabaseExecutorFactory.NAME) ExecutorService database, ReadRepository reads,
                  CommitcastConfig config) {
        this.database = database;
        this.reads = reads;
        this.timeoutMillis = config.db().queryTimeout().toMillis();
    }

    /**
     * Runs the work on the database executor. Failures outside the work's own classification (a transaction that
     * could not even begin because Postgres is down) are classified here, so they answer 503, not 500.
     */
    <T> CompletionStage<T> call(Supplier<T> work) {
        Optional<HttpRequest<Object>> request = ServerRequestContext.currentRequest();
        return CompletableFuture.supplyAsync(() -> {
            try {
                T result = work.get();
                request.ifPresent(this::recordToken);
                return result;
            } catch (ApiException e) {
                throw e;
            } catch (RuntimeException e) {
                throw SqlErrors.translate(e);
            }
        }, database).orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void recordToken(HttpRequest<Object> request) {
        try {
            request.setAttribute(WriteLsn.ATTRIBUTE, reads.walInsertLsn());
        } catch (RuntimeException e) {
            LOG.warn("The write committed, but its read-your-writes token could not be read: {}", e.toString());
        }
    }
}
