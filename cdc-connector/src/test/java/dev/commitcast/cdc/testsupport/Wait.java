package dev.commitcast.cdc.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for conditions with a deadline; never sleeps to "let things settle". */
public final class Wait {
    private Wait() {
    }

    /** Polls {@code condition} every 20 ms until it holds; fails with {@code description} after {@code timeout}. */
    public static void until(String description, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object lock = new Object();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for: " + description);
            }
            synchronized (lock) {
                try {
                    lock.wait(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for: " + description, e);
                }
            }
        }
    }

    /** Like {@link #until} with a message computed at failure time (e.g. what was seen so far). */
    public static void until(Supplier<String> description, Duration timeout, BooleanSupplier condition) {
        try {
            until("", timeout, condition);
        } catch (AssertionError e) {
            throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for: "
                    + description.get(), e);
        }
    }
}
