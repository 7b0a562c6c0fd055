package dev.commitcast.invalidator.consume;

import dev.commitcast.invalidator.apply.OffsetRange;
import dev.commitcast.invalidator.dlq.DeadLetter;
import dev.commitcast.invalidator.health.InvalidatorMetrics;
import dev.commitcast.core.Invalidation;
import dev.commitcast.core.Rules;
import dev.commitcast.events.ChangeDecodeException;
import dev.commitcast.events.ContinuityReset;
import dev.commitcast.events.RecordDecision;
import dev.commitcast.events.WatermarkMarker;
import dev.commitcast.core.Watermark;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns polled records into a {@link Batch}, each record decided by {@link RecordDecision}:
 * <ul>
 *   <li>a watermark marker ({@link WatermarkMarker}) becomes its partition's newest watermark; a marker that does
 *       not parse is dead-lettered (the watermark just does not advance); a marker written under other rules (its
 *       fingerprint differs) does not count: the connector may capture other tables than these rules expect, so
 *       this invalidator cannot vouch for that position, and the watermark waits;</li>
 *   <li>a continuity reset ({@link ContinuityReset}: the connector lost its position) invalidates everything, once
 *       per reset id in this process (the connector writes it to every partition);</li>
 *   <li>a tombstone (null value, following a delete) is skipped;</li>
 *   <li>a change event adds what it invalidates; one that cannot be decoded or mapped adds the over-invalidation of
 *       its table and is dead-lettered, so a bad event over-invalidates rather than leaves stale values behind.</li>
 * </ul>
 * Remembers the ids of the last resets it acted on; confined to the consumer thread.
 */
public final class BatchAssembler {

    private static final Logger LOG = LoggerFactory.getLogger(BatchAssembler.class);

    private static final String OVER_INVALIDATE = "over-invalidating its table (every table if unknown) and "
            + "dead-lettering it";

    private final RecordDecision decisions;
    private final String fingerprint;
    private final InvalidatorMetrics metrics;
    private final Set<String> resetsActedOn = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 64;
        }
    });

    /**
     * @param rules   the rules every record is decided under
     * @param metrics told about markers written under other rules, and when they agree again
     */
    BatchAssembler(Rules rules, InvalidatorMetrics metrics) {
        this.decisions = new RecordDecision(rules);
        this.fingerprint = rules.fingerprint();
        this.metrics = metrics;
    }

    /** Decodes the records (in poll order) into one batch. */
    Batch assemble(Iterable<ConsumerRecord<byte[], byte[]>> records) {
        Map<TopicPartition, OffsetRange> offsets = new LinkedHashMap<>();
        Invalidation.Builder invalidation = Invalidation.builder();
        List<DeadLetter> deadLetters = new ArrayList<>();
        Map<TopicPartition, Watermark> markers = new LinkedHashMap<>();
        Map<TopicPartition, Instant> newestCommit = new LinkedHashMap<>();
        List<Instant> commitTimes = new ArrayList<>();
        int count = 0;
        int tombstones = 0;
        int markerRecords = 0;
        boolean foreignMarkers = false;
        Boolean lastMarkerAgrees = null;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            count++;
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            offsets.merge(partition, new OffsetRange(record.offset(), record.offset()),
                    (a, b) -> a.extendTo(b.last()));
            RecordDecision.Outcome outcome = decisions.decide(record.headers(), record.value(), record.timestamp());
            switch (outcome.kind()) {
                case MARKER -> {
                    markerRecords++;
                    try {
                        WatermarkMarker parsed = WatermarkMarker.parse(record.value());
                        if (parsed.rulesFingerprint() != null && !parsed.rulesFingerprint().equals(fingerprint)) {
                            metrics.foreignRulesMarker(parsed.rulesFingerprint());
                            foreignMarkers = true;
                            lastMarkerAgrees = false;
                        } else {
                            metrics.agreeingMarker();
                            lastMarkerAgrees = true;
                            Watermark marker = parsed.watermark();
                            markers.merge(partition, marker, (a, b) -> a.isAfter(b) ? a : b);
                            newestCommit.merge(partition, marker.commitTime(), BatchAssembler::later);
                        }
                    } catch (ChangeDecodeException e) {
                        deadLetters.add(deadLetter(record, e, "dead-lettering it; the partition's watermark waits "
                                + "for the next marker"));
                    }
                }
                case RESET -> {
                    markerRecords++;
                    if (actOnReset(record)) {
                        invalidation.add(outcome.invalidation());
                    }
                }
                case TOMBSTONE -> tombstones++;
                case CHANGE -> {
                    invalidation.add(outcome.invalidation());
                    Instant commitTime = outcome.change().source().commitTime();
                    commitTimes.add(commitTime);
                    newestCommit.merge(partition, commitTime, BatchAssembler::later);
                }
                case UNDECODABLE -> {
                    invalidation.add(outcome.invalidation());
                    deadLetters.add(deadLetter(record, outcome.error(), OVER_INVALIDATE));
                }
            }
        }
        return new Batch(offsets, invalidation.build(), deadLetters, markers, newestCommit, commitTimes, count, tombstones,
                markerRecords, foreignMarkers, lastMarkerAgrees);
    }

    /** Whether this reset is new here; logs and counts it. An unreadable reset is acted on (no id to skip it by). */
    private boolean actOnReset(ConsumerRecord<byte[], byte[]> record) {
        ContinuityReset reset;
        try {
            reset = ContinuityReset.parse(record.value());
        } catch (ChangeDecodeException e) {
            LOG.warn("Continuity reset at {}-{}@{} does not parse ({}); invalidating everything anyway", record.topic(),
                    record.partition(), record.offset(), e.getMessage());
            metrics.continuityReset("unreadable");
            return true;
        }
        if (!resetsActedOn.add(reset.id())) {
            return false;
        }
        LOG.warn("The connector reset the change stream ({}: {}; reset {} at {}): changes before it may never arrive, "
                + "invalidating everything before the watermark moves", reset.reason(), reset.detail(), reset.id(),
                reset.at());
        metrics.continuityReset(reset.reason());
        return true;
    }

    private static DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record, RuntimeException e, String next) {
        LOG.warn("Cannot apply {}-{}@{}: {}; {}", record.topic(), record.partition(), record.offset(), e.getMessage(),
                next);
        return new DeadLetter(record, e.getMessage(), e.getClass().getSimpleName());
    }

    private static Instant later(Instant a, Instant b) {
        return b.isAfter(a) ? b : a;
    }
}
