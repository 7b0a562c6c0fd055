package dev.commitcast.client;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How far this instance has applied the pipeline: the LSN of the newest watermark received on the eviction broadcast
 * (every eviction of a commit at or before it was applied to this L1, and to Redis before that), and the reads
 * waiting for it to pass a writer's LSN (read-your-writes). Fed by the {@link StalenessGuard} with every watermark.
 *
 * <p>Thread-safe; {@link #await} never blocks: it returns a stage completed with {@code true} once the watermark
 * passes, or {@code false} after the wait.
 */
final class AppliedWatermark {

    private record Waiter(long lsn, CompletableFuture<Boolean> passed) {
    }

    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>((a, b) -> Long.compareUnsigned(a.lsn, b.lsn));
    private volatile long applied = -1; // unsigned; -1 (all ones) is never reached by a real LSN before a first one

    /** Returns the applied LSN, or {@code -1} before the first watermark. */
    long lsn() {
        return applied;
    }

    /** Returns whether the applied watermark is at or past {@code lsn}. */
    boolean passed(long lsn) {
        long now = applied;
        return now != -1 && Long.compareUnsigned(now, lsn) >= 0;
    }

    /** Records the newest watermark's LSN and releases the reads it passes. */
    void advance(long lsn) {
        synchronized (this) {
            applied = lsn;
            while (!waiting.isEmpty() && Long.compareUnsigned(waiting.peek().lsn, lsn) <= 0) {
                waiting.poll().passed.complete(true);
            }
        }
    }

    /** Completes with {@code true} once the watermark passes {@code lsn}, or with {@code false} after {@code wait}. */
    CompletableFuture<Boolean> await(long lsn, Duration wait) {
        if (passed(lsn)) {
            return CompletableFuture.completedFuture(true);
        }
        Waiter waiter = new Waiter(lsn, new CompletableFuture<>());
        synchronized (this) {
            if (passed(lsn)) {
                return CompletableFuture.completedFuture(true);
            }
            waiting.add(waiter);
        }
        waiter.passed.completeOnTimeout(false, wait.toNanos(), TimeUnit.NANOSECONDS)
                .thenAccept(passed -> {
                    if (!passed) {
                        synchronized (this) {
                            waiting.remove(waiter);
                        }
                    }
                });
        return waiter.passed;
    }
}
