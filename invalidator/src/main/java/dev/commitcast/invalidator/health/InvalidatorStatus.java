package dev.commitcast.invalidator.health;

import dev.commitcast.invalidator.continuity.KeySpaceContinuity;
import dev.commitcast.core.Watermark;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of the consume loop, for {@code /health} and tests. Immutable.
 *
 * @param state             where the loop is
 * @param assigned          the partitions this instance owns, {@code topic-partition}, sorted
 * @param lastPoll          when the consumer last polled, or {@code null}
 * @param lastCommit        when offsets were last committed, or {@code null}
 * @param batchesApplied    batches applied (and handed to commit) since start
 * @param retryAttempts     failed attempts of the batch being retried, 0 when not retrying
 * @param lastError         the last retry reason or the failure that stopped the loop, or {@code null}
 * @param globalWatermark   the global watermark of the latest computation, or {@code null} while unknown
 * @param kafkaConnections  the consumer's open broker connections ({@code connection-count}), -1 before known
 * @param keySpace          whether this instance vouches for the key space ({@link KeySpaceContinuity})
 */
public record InvalidatorStatus(State state, List<String> assigned, Instant lastPoll, Instant lastCommit,
                                long batchesApplied, int retryAttempts, String lastError, Watermark globalWatermark,
                                int kafkaConnections, KeySpaceContinuity.State keySpace) {

    /** Where the consume loop is. */
    public enum State {
        /** Created, the thread has not polled yet. */
        STARTING,
        /** Polling and applying. */
        RUNNING,
        /** A batch failed to apply; partitions are paused and the batch is retried with backoff. */
        RETRYING,
        /** Stopped by {@code close()}. */
        STOPPED,
        /** Stopped by a {@code SimulatedCrash} from a test hook; nothing was committed on the way out. */
        CRASHED,
        /** Stopped by an unexpected error; see {@link #lastError()}. */
        FAILED;

        /** Returns whether the loop still runs. */
        public boolean alive() {
            return this == STARTING || this == RUNNING || this == RETRYING;
        }
    }

    public InvalidatorStatus {
        assigned = List.copyOf(assigned);
    }
}
