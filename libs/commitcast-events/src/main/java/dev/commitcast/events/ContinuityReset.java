package dev.commitcast.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A continuity reset: a record the connector writes to <em>every</em> partition of every change topic when it
 * cannot prove that the change stream continues where it stopped (its replication slot was lost or recreated, it
 * has no stored position, the database is another one), recognised by the header {@value WatermarkMarker#HEADER} =
 * {@value #HEADER_VALUE}, with a {@code null} key. It is written after the new slot exists and before any change
 * streamed from it, so it means: changes committed before this point may never arrive; invalidate everything. The
 * one definition of its format. Its value is UTF-8 JSON:
 * <pre>{"id":"4f0c…","reason":"slot-missing","detail":"…","at":1795395093990012,"rules":"3f2a9c0e11b2d4a7"}</pre>
 * An invalidator that does not know this record finds no change event in it and over-invalidates it as undecodable,
 * which is just as safe. Immutable.
 *
 * @param id               the reset's id, the same in every partition, so a reader acts on it once
 * @param reason           a short machine-readable cause, e.g. {@code slot-missing}
 * @param detail           what was found, for people
 * @param at               when the connector wrote it
 * @param rulesFingerprint the connector's rules fingerprint, or {@code null}
 */
public record ContinuityReset(String id, String reason, String detail, Instant at, String rulesFingerprint) {

    /** Value of the {@link WatermarkMarker#HEADER} header on continuity resets. */
    public static final String HEADER_VALUE = "reset";

    /** No stored position: a first start, or the offsets were lost; changes before the slot existed are unknown. */
    public static final String NO_OFFSET = "no-offset";
    /** A stored position, but the replication slot is gone (dropped, a failover to a server without it). */
    public static final String SLOT_MISSING = "slot-missing";
    /** The slot exists but Postgres removed WAL it still needed ({@code wal_status = lost}). */
    public static final String SLOT_LOST = "slot-lost";
    /** The slot confirmed a position past the stored one (offsets restored from a backup, or another reader). */
    public static final String BEHIND_SLOT = "behind-slot";
    /** Another database cluster (system identifier) or timeline (a promoted standby) than the stored position's. */
    public static final String DATABASE_CHANGED = "database-changed";
    /** Debezium refused to stream from the stored position. */
    public static final String POSITION_REFUSED = "position-refused";
    /** Every reason above, e.g. to register metrics for each. */
    public static final java.util.List<String> REASONS = java.util.List.of(NO_OFFSET, SLOT_MISSING, SLOT_LOST,
            BEHIND_SLOT, DATABASE_CHANGED, POSITION_REFUSED);

    /** Validates and truncates the time to microseconds. */
    public ContinuityReset {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? "" : detail;
        at = at.truncatedTo(ChronoUnit.MICROS);
    }

    /** Returns whether a record carries the reset header (last value wins, compared ignoring case). */
    public static boolean isReset(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(WatermarkMarker.HEADER);
        return header != null && header.value() != null
                && HEADER_VALUE.equalsIgnoreCase(new String(header.value(), StandardCharsets.UTF_8).strip());
    }

    /** The record's value. */
    public byte[] toJson() {
        var node = JsonFields.MAPPER.createObjectNode();
        node.put("id", id);
        node.put("reason", reason);
        node.put("detail", detail);
        node.put("at", WatermarkMarker.micros(at));
        if (rulesFingerprint != null) {
            node.put("rules", rulesFingerprint);
        }
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses a reset's value.
     *
     * @throws ChangeDecodeException quoting the problem, when the value is not a reset
     */
    public static ContinuityReset parse(byte[] value) {
        if (value == null) {
            throw new ChangeDecodeException(null, "continuity reset has no value", null);
        }
        JsonNode root = JsonFields.parse(value, "continuity reset");
        String id = JsonFields.text(root, "id");
        String reason = JsonFields.text(root, "reason");
        Long at;
        try {
            at = JsonFields.optionalLong(root, "at");
        } catch (NumberFormatException e) {
            throw new ChangeDecodeException(null, "continuity reset " + root + ": " + e.getMessage(), e);
        }
        if (id == null || reason == null || at == null) {
            throw new ChangeDecodeException(null, "continuity reset " + root + ": needs id, reason and at", null);
        }
        return new ContinuityReset(id, reason, JsonFields.text(root, "detail"), WatermarkMarker.fromMicros(at),
                JsonFields.text(root, "rules"));
    }
}
