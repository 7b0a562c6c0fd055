package dev.commitcast.cdc.engine;

import java.time.Duration;

/** Exponential back-off: {@code initial}, doubling per call, capped at {@code max}. Not thread-safe. */
final class Backoff {
    private final Duration initial;
    private final Duration max;
    private Duration next;

    Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** The delay before the next attempt. */
    Duration next() {
        Duration current = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return current;
    }

    /** Back to {@code initial}, after a success. */
    void reset() {
        next = initial;
    }
}
