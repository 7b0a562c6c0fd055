package dev.commitcast.api.support;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline, polling every few milliseconds; fails naming the condition. */
public final class Wait {

    /** Deadline used when none is given. */
    public static final Duration DEFAULT = Duration.ofSeconds(15);
    private static final long POLL_NANOS = Duration.ofMillis(10).toNanos();

    private Wait() {
    }

    /** Waits up to {@link #DEFAULT} for the condition. */
    public static void until(String condition, BooleanSupplier check) {
        until(condition, DEFAULT, check);
    }

    /** Waits up to {@code timeout} for the condition; throws {@link AssertionError} naming it on timeout. */
    public static void until(String condition, Duration timeout, BooleanSupplier check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + condition);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
