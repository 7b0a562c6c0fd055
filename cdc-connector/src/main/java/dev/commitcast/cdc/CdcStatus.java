package dev.commitcast.cdc;

import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of the connector's state, for health checks and tests. Immutable.
 *
 * @param state            lifecycle state
 * @param ackedLsn         LSN of the last change or heartbeat acknowledged by Kafka, {@code -1} before the first
 * @param ackedCommitTime  commit time of that event, empty before the first
 * @param engineRestarts   engine restarts after retriable failures since {@link CdcConnector#start()}
 * @param producerHealthy  false while the last batch could not be published
 * @param lastError        the last failure's message, if any
 * @param lastReset        the last continuity reset written since start, if any
 */
public record CdcStatus(State state, long ackedLsn, Optional<Instant> ackedCommitTime, long engineRestarts,
                        boolean producerHealthy, Optional<String> lastError,
                        Optional<dev.commitcast.events.ContinuityReset> lastReset) {

    /** Lifecycle of a {@link CdcConnector}. */
    public enum State {
        /** Created, {@link CdcConnector#start()} not called yet. */
        NEW,
        /** Start-up checks and topic creation running. */
        STARTING,
        /** The Debezium engine is starting its task (connecting, creating or opening the slot). */
        CONNECTING,
        /** Streaming: changes committed from now on are captured. */
        STREAMING,
        /** The engine failed with a retriable error and restarts after a back-off. */
        RETRYING,
        /** Stopped by {@link CdcConnector#close()}. */
        STOPPED,
        /** Stopped by a permanent failure; see {@link CdcStatus#lastError()}. */
        FAILED
    }

    /** True when changes are flowing to Kafka. */
    public boolean healthy() {
        return state == State.STREAMING && producerHealthy;
    }
}
