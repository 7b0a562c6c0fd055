package dev.commitcast.invalidator.consume;

import java.time.Duration;

/**
 * Capped exponential backoff: {@code initial}, {@code 2*initial}, {@code 4*initial}, ... at most {@code max}.
 *
 * @param initial the first delay
 * @param max     the cap
 */
record Backoff(Duration initial, Duration max) {

    /** Returns the delay before attempt {@code failures + 1}, given the failures so far ({@code >= 1}). */
    Duration delay(int failures) {
        int doublings = Math.min(Math.max(failures - 1, 0), 30);
        Duration delay = initial.multipliedBy(1L << doublings);
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
