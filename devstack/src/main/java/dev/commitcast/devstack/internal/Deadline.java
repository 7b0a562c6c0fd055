package dev.commitcast.devstack.internal;

import dev.commitcast.devstack.DevStackException;
import java.time.Duration;

/** A point in (monotonic) time by which a wait must end. Waits poll with short pauses and never outlive it. */
public final class Deadline {
    private final long deadlineNanos;
    private final Duration budget;

    private Deadline(Duration budget) {
        this.budget = budget;
        this.deadlineNanos = System.nanoTime() + budget.toNanos();
    }

    public static Deadline after(Duration budget) {
        return new Deadline(budget);
    }

    public boolean expired() {
        return remainingNanos() <= 0;
    }

    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, remainingNanos()));
    }

    /** The whole budget this deadline was created with, for messages. */
    public Duration budget() {
        return budget;
    }

    private long remainingNanos() {
        return deadlineNanos - System.nanoTime();
    }

    /** Sleeps for {@code interval} or until the deadline, whichever is sooner; an interrupt becomes an exception. */
    public void pause(Duration interval, String waitingFor) {
        long nanos = Math.min(interval.toNanos(), Math.max(0, remainingNanos()));
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException("Interrupted while waiting for " + waitingFor, e);
        }
    }
}
