package dev.commitcast.invalidator.consume;

import dev.commitcast.invalidator.continuity.KeySpaceContinuity;
import dev.commitcast.invalidator.health.InvalidatorStatus;
import dev.commitcast.invalidator.health.InvalidatorStatus.State;
import dev.commitcast.core.Watermark;
import org.apache.kafka.common.TopicPartition;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/** Written by the consumer thread, read by any thread through {@link #snapshot()}. */
final class LoopStatus {

    private final Supplier<Watermark> globalWatermark;
    private final Supplier<KeySpaceContinuity.State> keySpace;
    private volatile State state = State.STARTING;
    private volatile List<String> assigned = List.of();
    private volatile Instant lastPoll;
    private volatile Instant lastCommit;
    private volatile long batchesApplied;
    private volatile int retryAttempts;
    private volatile String lastError;
    private volatile int kafkaConnections = -1;

    LoopStatus(Supplier<Watermark> globalWatermark, Supplier<KeySpaceContinuity.State> keySpace) {
        this.globalWatermark = globalWatermark;
        this.keySpace = keySpace;
    }

    InvalidatorStatus snapshot() {
        return new InvalidatorStatus(state, assigned, lastPoll, lastCommit, batchesApplied, retryAttempts, lastError,
                globalWatermark.get(), kafkaConnections, keySpace.get());
    }

    State state() {
        return state;
    }

    void polled(Instant at) {
        lastPoll = at;
        if (state == State.STARTING) {
            state = State.RUNNING;
        }
    }

    void kafkaConnections(int count) {
        kafkaConnections = count;
    }

    void assigned(Collection<TopicPartition> partitions) {
        assigned = partitions.stream().map(TopicPartition::toString).sorted().toList();
    }

    void retrying(int attempts, String error) {
        state = State.RETRYING;
        retryAttempts = attempts;
        lastError = error;
    }

    void applied() {
        batchesApplied++;
        retryAttempts = 0;
        if (state == State.RETRYING) {
            state = State.RUNNING;
        }
    }

    void committed(Instant at) {
        lastCommit = at;
    }

    void stopped(State finalState, String error) {
        if (error != null) {
            lastError = error;
        }
        state = finalState;
    }
}
