package dev.commitcast.api.support;

import dev.commitcast.client.FillHooks;
import dev.commitcast.core.CacheKey;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link FillHooks} that can hold a fill of one key at one step: the test {@link #arm arms} a step, waits until the
 * fill {@linkplain Gate#awaitArrival() arrives} there, acts (invalidates, evicts, updates rows), then
 * {@linkplain Gate#release() releases} it. Counts database reads per key. Unarmed steps pass straight through.
 */
public final class LatchHooks implements FillHooks {

    /** The steps of a fill. */
    public enum Step { BEFORE_DATABASE_READ, AFTER_DATABASE_READ, BEFORE_L1_FILL }

    /** A held step. */
    public static final class Gate {
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        /** Waits until a fill reached the step. */
        public void awaitArrival() {
            await(arrived, "a fill to reach the armed step");
        }

        /** Lets the held fill continue. */
        public void release() {
            released.countDown();
        }

        void hold() {
            arrived.countDown();
            await(released, "the test to release the armed step");
        }
    }

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final Map<String, Gate> gates = new ConcurrentHashMap<>();
    private final Map<CacheKey, AtomicInteger> databaseReads = new ConcurrentHashMap<>();

    /** Holds the next fill of {@code key} at {@code step}; one fill only. */
    public Gate arm(Step step, CacheKey key) {
        Gate gate = new Gate();
        gates.put(step + "|" + key, gate);
        return gate;
    }

    /** Returns how many database reads of the key began. */
    public int databaseReads(CacheKey key) {
        AtomicInteger count = databaseReads.get(key);
        return count == null ? 0 : count.get();
    }

    @Override
    public void beforeDatabaseRead(CacheKey key) {
        databaseReads.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        pass(Step.BEFORE_DATABASE_READ, key);
    }

    @Override
    public void afterDatabaseRead(CacheKey key) {
        pass(Step.AFTER_DATABASE_READ, key);
    }

    @Override
    public void beforeL1Fill(CacheKey key) {
        pass(Step.BEFORE_L1_FILL, key);
    }

    private void pass(Step step, CacheKey key) {
        Gate gate = gates.remove(step + "|" + key);
        if (gate != null) {
            gate.hold();
        }
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("timed out after " + DEADLINE.toMillis() + " ms waiting for " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }
}
