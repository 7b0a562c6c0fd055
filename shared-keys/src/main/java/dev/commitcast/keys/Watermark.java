package dev.commitcast.keys;

import java.time.Instant;
import java.util.Objects;

/**
 * How far the invalidator has applied the change stream: every change committed at or before {@code lsn} has had its
 * Redis keys deleted by the time a message carrying this watermark is published. Receivers use it to measure
 * end-to-end lag ({@code now - commitTime}). Immutable.
 *
 * @param lsn        the log sequence number of the last applied commit, {@code >= 0}
 * @param commitTime when that transaction committed
 */
public record Watermark(long lsn, Instant commitTime) {

    /** Validates the components. */
    public Watermark {
        if (lsn < 0) {
            throw new IllegalArgumentException("lsn must be >= 0, was " + lsn);
        }
        Objects.requireNonNull(commitTime, "commitTime");
    }
}
