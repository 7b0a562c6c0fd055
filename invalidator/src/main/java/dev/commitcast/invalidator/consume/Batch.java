package dev.commitcast.invalidator.consume;

import dev.commitcast.invalidator.apply.BatchInfo;
import dev.commitcast.invalidator.apply.OffsetRange;
import dev.commitcast.invalidator.dlq.DeadLetter;
import dev.commitcast.core.Invalidation;
import dev.commitcast.core.Watermark;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One polled batch, decoded: what it invalidates, its dead letters, the newest watermark marker and commit time per
 * partition, and its offsets. Built by {@link BatchAssembler}; applied and committed as a unit. Confined to the
 * consumer thread.
 */
final class Batch {

    final Map<TopicPartition, OffsetRange> offsets;
    final Invalidation invalidation;
    /** Not yet acknowledged by the DLQ topic; shrinks as acknowledgements arrive, so retries do not resend. */
    final List<DeadLetter> pendingDeadLetters;
    /** The newest marker per partition. */
    final Map<TopicPartition, Watermark> markers;
    /** The newest commit time of an event or marker per partition. */
    final Map<TopicPartition, Instant> newestCommit;
    /** Commit time of each applied change (for the latency histograms). */
    final List<Instant> changeCommitTimes;
    final int records;
    final int changes;
    final int tombstones;
    final int markerRecords;
    final int deadLetters;
    /** Whether a marker written under other rules than the invalidator's came in this batch. */
    final boolean foreignMarkers;
    /** Whether the batch's last readable marker was written under the invalidator's rules; null without markers. */
    final Boolean lastMarkerAgrees;

    Batch(Map<TopicPartition, OffsetRange> offsets, Invalidation invalidation, List<DeadLetter> deadLetters,
          Map<TopicPartition, Watermark> markers, Map<TopicPartition, Instant> newestCommit,
          List<Instant> changeCommitTimes, int records, int tombstones, int markerRecords, boolean foreignMarkers,
          Boolean lastMarkerAgrees) {
        this.offsets = Collections.unmodifiableMap(new LinkedHashMap<>(offsets));
        this.invalidation = invalidation;
        this.pendingDeadLetters = new ArrayList<>(deadLetters);
        this.markers = Map.copyOf(markers);
        this.newestCommit = Map.copyOf(newestCommit);
        this.changeCommitTimes = List.copyOf(changeCommitTimes);
        this.records = records;
        this.changes = changeCommitTimes.size();
        this.tombstones = tombstones;
        this.markerRecords = markerRecords;
        this.deadLetters = deadLetters.size();
        this.foreignMarkers = foreignMarkers;
        this.lastMarkerAgrees = lastMarkerAgrees;
    }

    /** Returns the offsets to commit once the batch is applied: last offset + 1 per partition. */
    Map<TopicPartition, OffsetAndMetadata> nextOffsets() {
        Map<TopicPartition, OffsetAndMetadata> next = new LinkedHashMap<>();
        offsets.forEach((partition, range) -> next.put(partition, new OffsetAndMetadata(range.last() + 1)));
        return next;
    }

    BatchInfo info(int attempt) {
        return new BatchInfo(offsets, invalidation, attempt);
    }

    /** Returns e.g. {@code commitcast.public.users-0[10..14] commitcast.public.roles-2[3..3]}, for logs. */
    String describe() {
        StringJoiner joiner = new StringJoiner(" ");
        offsets.forEach((partition, range) -> joiner.add(partition + range.toString()));
        return joiner.toString();
    }
}
