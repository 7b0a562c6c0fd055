package dev.commitcast.events;

import dev.commitcast.core.Invalidation;
import dev.commitcast.core.MalformedChangeException;
import dev.commitcast.core.RowChange;
import dev.commitcast.core.Rules;
import org.apache.kafka.common.header.Headers;

import java.util.Objects;

/**
 * What one change-topic record means for the caches — the single place that decides it, used by the live consume
 * loop and by {@code ./commitcast replay}, so a replay can never disagree with the invalidator:
 * <ul>
 *   <li>a watermark marker ({@link WatermarkMarker#isMarker}) invalidates nothing (the caller reads its watermark);</li>
 *   <li>a continuity reset ({@link ContinuityReset#isReset}) invalidates everything: changes before it may be
 *       lost;</li>
 *   <li>a tombstone (null value, following a delete) invalidates nothing;</li>
 *   <li>a change event is decoded by {@link ChangeEventDecoder} and mapped by the {@link Rules};</li>
 *   <li>a record that cannot be decoded or mapped is over-invalidated with {@link Rules#fallbackFor} its table
 *       (everything when unknown); the invalidator also dead-letters it.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class RecordDecision {

    /** The kinds of record. */
    public enum Kind { MARKER, RESET, TOMBSTONE, CHANGE, UNDECODABLE }

    /**
     * The decision for one record.
     *
     * @param kind         what the record is
     * @param change       the decoded change: for {@code CHANGE}, and for {@code UNDECODABLE} when it decoded but
     *                     did not map; else {@code null}
     * @param invalidation what it invalidates; empty for markers and tombstones, everything for a reset
     * @param error        why it is {@code UNDECODABLE}, else {@code null}
     */
    public record Outcome(Kind kind, RowChange change, Invalidation invalidation, RuntimeException error) {
        private static final Outcome MARKER = new Outcome(Kind.MARKER, null, Invalidation.empty(), null);
        private static final Outcome TOMBSTONE = new Outcome(Kind.TOMBSTONE, null, Invalidation.empty(), null);
    }

    private final ChangeEventDecoder decoder = new ChangeEventDecoder();
    private final Rules rules;

    /** Decides records under these rules. */
    public RecordDecision(Rules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /** Returns the rules records are decided under. */
    public Rules rules() {
        return rules;
    }

    /**
     * Decides one record.
     *
     * @param timestamp the record's Kafka timestamp, the decoder's fallback commit time
     */
    public Outcome decide(Headers headers, byte[] value, long timestamp) {
        if (WatermarkMarker.isMarker(headers)) {
            return Outcome.MARKER;
        }
        if (ContinuityReset.isReset(headers)) {
            return new Outcome(Kind.RESET, null, Invalidation.of(rules.everything()), null);
        }
        if (value == null) {
            return Outcome.TOMBSTONE;
        }
        RowChange change;
        try {
            change = decoder.decode(value, timestamp);
        } catch (ChangeDecodeException e) {
            return new Outcome(Kind.UNDECODABLE, null, rules.fallbackFor(e.table()), e);
        }
        try {
            return new Outcome(Kind.CHANGE, change, rules.evaluate(change), null);
        } catch (MalformedChangeException | IllegalArgumentException e) {
            // IllegalArgumentException: a value the rules accepted but a key type rejected; same remedy.
            return new Outcome(Kind.UNDECODABLE, change, rules.fallbackFor(change.qualifiedTable()), e);
        }
    }
}
