package dev.commitcast.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commitcast.core.Watermark;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * A watermark marker: a record the connector writes to <em>every</em> partition of every change topic, recognised by
 * the header {@value #HEADER} = {@value #HEADER_VALUE}, with a {@code null} key. The one definition of its format,
 * written by the connector and read by the invalidator and the cli. Its value is UTF-8 JSON:
 * <pre>{"lsn":30969616,"pgLsn":"0/1D88F10","commitTs":1795395093831127,"emittedTs":1795395093990012,"rules":"3f2a9c0e11b2d4a7"}</pre>
 *
 * <p>Contract: every transaction whose commit record is at or before {@code lsn} in the WAL has had all of its row
 * changes that belong to this partition produced to this partition <em>before</em> this marker. So a consumer that
 * has processed a partition up to a marker has seen every such change of that partition; the minimum over all
 * partitions of all change topics is a global "applied through" position. {@code lsn} is compared with commit
 * positions, not with the {@code source.lsn} of individual change events. Markers of one connector process carry
 * non-decreasing LSNs; after a connector restart they may repeat lower values, so consumers keep the latest (by
 * commit time, then LSN: after a {@link ContinuityReset} onto another database LSNs may start lower).
 * {@code rules} is the fingerprint of the connector's rules (which tables it captures), so an invalidator whose rules
 * differ can refuse to vouch for a position the connector reached under other rules.
 *
 * <p>Read leniently: {@code lsn} as a JSON integer or numeric string; {@code commitTs} as epoch microseconds (number
 * or numeric string) or an ISO-8601 instant or offset date-time (for markers written by a small job next to Kafka
 * Connect); {@code emittedTs} and {@code rules} optional. Immutable.
 *
 * @param lsn              the WAL position as an unsigned 64-bit number ({@code pg_lsn - '0/0'}), {@code >= 0}
 * @param commitTime       commit time of the transaction at {@code lsn}, microsecond precision
 * @param emittedAt        when the connector produced the marker
 * @param rulesFingerprint the connector's rules fingerprint, or {@code null} when the writer has none
 */
public record WatermarkMarker(long lsn, Instant commitTime, Instant emittedAt, String rulesFingerprint) {

    /** Header whose presence distinguishes a marker from a change event. */
    public static final String HEADER = "commitcast-marker";
    /** Value of {@link #HEADER} on watermark markers. */
    public static final String HEADER_VALUE = "watermark";

    /** Validates and truncates the times to microseconds. */
    public WatermarkMarker {
        if (lsn < 0) {
            throw new IllegalArgumentException("lsn must be >= 0, was " + lsn);
        }
        commitTime = commitTime.truncatedTo(ChronoUnit.MICROS);
        emittedAt = emittedAt.truncatedTo(ChronoUnit.MICROS);
    }

    /** A marker whose commit time is in epoch microseconds (Debezium's {@code source.ts_us}). */
    public static WatermarkMarker ofMicros(long lsn, long commitMicros, Instant emittedAt, String rulesFingerprint) {
        return new WatermarkMarker(lsn, fromMicros(commitMicros), emittedAt, rulesFingerprint);
    }

    /** Returns the position as a {@link Watermark}. */
    public Watermark watermark() {
        return new Watermark(lsn, commitTime);
    }

    /** Returns whether a record carries the marker header (last value wins, compared ignoring case). */
    public static boolean isMarker(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(HEADER);
        return header != null && header.value() != null
                && HEADER_VALUE.equalsIgnoreCase(new String(header.value(), StandardCharsets.UTF_8).strip());
    }

    /** The marker's record value. */
    public byte[] toJson() {
        return ("{\"lsn\":" + lsn + ",\"pgLsn\":\"" + pgLsn(lsn) + "\",\"commitTs\":" + micros(commitTime)
                + ",\"emittedTs\":" + micros(emittedAt)
                + (rulesFingerprint == null ? "" : ",\"rules\":\"" + rulesFingerprint + "\"") + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses a marker's record value.
     *
     * @throws ChangeDecodeException quoting the problem, when the value is not a marker
     */
    public static WatermarkMarker parse(byte[] value) {
        if (value == null) {
            throw new ChangeDecodeException(null, "watermark marker has no value", null);
        }
        JsonNode root = JsonFields.parse(value, "watermark marker");
        try {
            Long lsn = JsonFields.optionalLong(root, "lsn");
            if (lsn == null) {
                throw new IllegalArgumentException("field 'lsn' missing");
            }
            Instant commit = time(root.get("commitTs"), "commitTs");
            JsonNode emittedNode = root.get("emittedTs");
            Instant emitted = emittedNode == null || emittedNode.isNull() ? commit : time(emittedNode, "emittedTs");
            String rules = JsonFields.text(root, "rules");
            return new WatermarkMarker(lsn, commit, emitted, rules);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ChangeDecodeException(null, "watermark marker " + root + ": " + e.getMessage(), e);
        }
    }

    /** Postgres' text form of an LSN, {@code X/Y} in hex. */
    public static String pgLsn(long lsn) {
        return Watermark.pgLsn(lsn);
    }

    private static Instant time(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("field '" + field + "' missing");
        }
        if (!node.isNumber() && !node.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' is " + node
                    + ", expected epoch microseconds or an ISO-8601 timestamp");
        }
        if (node.isNumber() || node.textValue().strip().matches("-?\\d+")) {
            long micros = node.isNumber() ? node.longValue() : Long.parseLong(node.textValue().strip());
            return fromMicros(micros);
        }
        String text = node.textValue().strip();
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(text).toInstant();
        }
    }

    static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    static Instant fromMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
