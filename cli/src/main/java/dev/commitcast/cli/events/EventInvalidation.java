package dev.commitcast.cli.events;

import dev.commitcast.invalidator.decode.ChangeDecodeException;
import dev.commitcast.invalidator.decode.ChangeEventDecoder;
import dev.commitcast.invalidator.decode.WatermarkMarker;
import dev.commitcast.keys.Invalidation;
import dev.commitcast.keys.InvalidationRules;
import dev.commitcast.keys.MalformedChangeException;
import dev.commitcast.keys.RowChange;

/**
 * What one recorded event invalidates, decided exactly as the invalidator's {@code BatchAssembler} decides it for a
 * polled record, with the same classes: a watermark marker ({@link WatermarkMarker#isMarker}) and a tombstone change
 * nothing; a change event is decoded by {@link ChangeEventDecoder} and mapped by {@link InvalidationRules}; one that
 * cannot be decoded or mapped is over-invalidated with {@link InvalidationRules#fallbackFor} its table (every table
 * when unknown). The invalidator also dead-letters such an event; a replay reports it instead. Stateless and
 * thread-safe.
 */
public final class EventInvalidation {

    /** What kind of record it was. */
    public enum Kind { CHANGE, MARKER, TOMBSTONE, UNDECODABLE }

    /**
     * The decision for one record.
     *
     * @param kind         what the record was
     * @param change       the decoded change ({@code CHANGE} only; for {@code UNDECODABLE} when it decoded but did
     *                     not map)
     * @param invalidation what it invalidates; empty for markers and tombstones
     * @param error        why it is {@code UNDECODABLE}, else {@code null}
     */
    public record Outcome(Kind kind, RowChange change, Invalidation invalidation, String error) {
    }

    private final ChangeEventDecoder decoder = new ChangeEventDecoder();
    private final InvalidationRules rules = new InvalidationRules();

    public Outcome decide(EventRecord event) {
        if (event.marker() || WatermarkMarker.isMarker(event.kafkaHeaders())) {
            return new Outcome(Kind.MARKER, null, Invalidation.empty(), null);
        }
        if (event.value() == null) {
            return new Outcome(Kind.TOMBSTONE, null, Invalidation.empty(), null);
        }
        RowChange change;
        try {
            change = decoder.decode(event.valueBytes(), event.timestamp());
        } catch (ChangeDecodeException e) {
            return new Outcome(Kind.UNDECODABLE, null, Invalidation.of(InvalidationRules.fallbackFor(e.table())),
                    e.getMessage());
        }
        try {
            return new Outcome(Kind.CHANGE, change, rules.forChange(change), null);
        } catch (MalformedChangeException | IllegalArgumentException e) {
            return new Outcome(Kind.UNDECODABLE, change,
                    Invalidation.of(InvalidationRules.fallbackFor(change.table())), e.getMessage());
        }
    }
}
