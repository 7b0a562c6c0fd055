package dev.commitcast.invalidator.apply;

import io.lettuce.core.RedisException;
import org.apache.kafka.common.errors.InterruptException;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Blocks the consumer thread on an asynchronous step with a deadline, turning its failure into a
 * {@link RetriableStepException} and an interrupt into Kafka's {@link InterruptException} (which keeps the interrupt
 * flag set), so the consume loop has one way to stop on interrupt.
 */
public final class Await {

    /** Step name of everything that talks to Redis. */
    public static final String REDIS = "redis";

    private Await() {
    }

    /**
     * Starts a Redis call and waits for it; a {@link RedisException} thrown while issuing the command (e.g. the
     * request queue is full) counts as a failed {@code redis} step too.
     */
    public static <T> T redis(Supplier<? extends CompletionStage<T>> call, Duration timeout, String what) {
        CompletionStage<T> stage;
        try {
            stage = call.get();
        } catch (RedisException e) {
            throw new RetriableStepException(REDIS, what + " failed: " + e, e);
        }
        return result(stage.toCompletableFuture(), timeout, REDIS, what);
    }

    /** Waits for the future; see the class documentation. */
    public static <T> T result(Future<T> future, Duration timeout, String step, String what) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            future.cancel(false);
            throw new InterruptException(e);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new RetriableStepException(step, what + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new RetriableStepException(step, what + " did not complete within " + timeout, e);
        }
    }
}
