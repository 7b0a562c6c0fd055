package dev.commitcast.core;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a change comes from in the Postgres WAL. Immutable.
 *
 * @param lsn        the log sequence number of the change's commit (or of the snapshot), {@code >= 0}
 * @param commitTime when the transaction committed
 * @param txId       the Postgres transaction id, {@code >= 0} ({@code 0} if the source did not report one)
 */
public record SourcePosition(long lsn, Instant commitTime, long txId) {

    /** Validates the components. */
    public SourcePosition {
        if (lsn < 0) {
            throw new IllegalArgumentException("lsn must be >= 0, was " + lsn);
        }
        Objects.requireNonNull(commitTime, "commitTime");
        if (txId < 0) {
            throw new IllegalArgumentException("txId must be >= 0, was " + txId);
        }
    }

    /** Returns this position as a broadcast {@link Watermark}. */
    public Watermark watermark() {
        return new Watermark(lsn, commitTime);
    }
}
