package dev.commitcast.client;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Guards L2: after {@code failureThreshold} consecutive failures the circuit opens and reads skip Redis for
 * {@code coolDown}; then one request is let through as a probe (half-open). Its success closes the circuit, its
 * failure opens it for another cool-down. Time comes from the injected {@link Clock}.
 *
 * <p>Lock-free and thread-safe: {@link #tryAcquire()} admits exactly one probe per cool-down.
 */
final class CircuitBreaker {

    /** The circuit's state. */
    enum State { CLOSED, OPEN, HALF_OPEN }

    /** The state and when it was entered (for OPEN: opened; for HALF_OPEN: the probe was admitted). */
    private record Snapshot(State state, long sinceMillis) {
    }

    private final int failureThreshold;
    private final long coolDownMillis;
    private final Clock clock;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot(State.CLOSED, 0));

    /** Creates a closed circuit. */
    CircuitBreaker(int failureThreshold, Duration coolDown, Clock clock) {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failureThreshold must be >= 1, was " + failureThreshold);
        }
        this.failureThreshold = failureThreshold;
        this.coolDownMillis = Objects.requireNonNull(coolDown, "coolDown").toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Returns whether a call may go to Redis now: always when closed; when open only once the cool-down has
     * passed, and then only for the one caller that moves the circuit to half-open. A probe that never reports
     * back is replaced by another after one more cool-down.
     */
    boolean tryAcquire() {
        Snapshot current = snapshot.get();
        if (current.state() == State.CLOSED) {
            return true;
        }
        long now = clock.millis();
        return now - current.sinceMillis() >= coolDownMillis
                && snapshot.compareAndSet(current, new Snapshot(State.HALF_OPEN, now));
    }

    /** Records a successful call: closes the circuit. */
    void onSuccess() {
        consecutiveFailures.set(0);
        Snapshot current = snapshot.get();
        if (current.state() != State.CLOSED) {
            snapshot.compareAndSet(current, new Snapshot(State.CLOSED, 0));
        }
    }

    /** Records a failed call: opens the circuit at the threshold, or re-opens it after a failed probe. */
    void onFailure() {
        int failures = consecutiveFailures.incrementAndGet();
        Snapshot current = snapshot.get();
        boolean open = current.state() == State.HALF_OPEN
                || (current.state() == State.CLOSED && failures >= failureThreshold);
        if (open) {
            snapshot.compareAndSet(current, new Snapshot(State.OPEN, clock.millis()));
        }
    }

    /** Returns the current state. */
    State state() {
        return snapshot.get().state();
    }

    /** Returns the number of consecutive failures since the last success. */
    int consecutiveFailures() {
        return consecutiveFailures.get();
    }
}
