package dev.commitcast.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A watermark marker: a record the connector writes to <em>every</em> partition of every change topic, recognised by
 * the header {@value #HEADER} = {@value #HEADER_VALUE} and a {@code null} key. Its value is UTF-8 JSON:
 * <pre>{"lsn":30969616,"pgLsn":"0/1D88F10","commitTs":1795395093831127,"emittedTs":1795395093990012}</pre>
 *
 * <p>Contract: every transaction whose commit record is at or before {@code lsn} in the WAL has had all of its row
 * changes that belong to this partition produced to this partition <em>before</em> this marker. So a consumer that has
 * processed a partition up to a marker has seen every such change of that partition; the minimum over all partitions
 * of all change topics is a global "applied through" position. {@code lsn} is compared with commit positions, not with
 * the {@code source.lsn} of individual change events (a change's own LSN can be lower than that of a transaction
 * committed before it). Markers of one connector process carry non-decreasing LSNs; after a connector restart they
 * may repeat lower values (events are replayed from the last committed offset), so consumers keep the maximum.
 *
 * @param lsn        the WAL position as an unsigned 64-bit number ({@code pg_lsn} - '0/0'), {@code >= 0}
 * @param commitTime commit time of the transaction at {@code lsn}, microsecond precision; for lag
 *                   ({@code now - commitTime}), not for ordering
 * @param emittedAt  when the connector produced the marker
 */
public record WatermarkMarker(long lsn, Instant commitTime, Instant emittedAt) {

    /** Header whose presence distinguishes a marker from a change event. */
    public static final String HEADER = "commitcast-marker";
    /** Value of {@link #HEADER} on watermark markers. */
    public static final String HEADER_VALUE = "watermark";

    private static final ObjectMapper JSON = new ObjectMapper();

    public WatermarkMarker {
        if (lsn < 0) {
            throw new IllegalArgumentException("lsn must be >= 0, was " + lsn);
        }
        commitTime = commitTime.truncatedTo(ChronoUnit.MICROS);
        emittedAt = emittedAt.truncatedTo(ChronoUnit.MICROS);
    }

    /** A marker for a position whose commit time is in epoch microseconds (Debezium's {@code source.ts_us}). */
    public static WatermarkMarker ofMicros(long lsn, long commitMicros, Instant emittedAt) {
        return new WatermarkMarker(lsn, fromMicros(commitMicros), emittedAt);
    }

    /** The marker's record value. */
    public byte[] toJson() {
        return ("{\"lsn\":" + lsn + ",\"pgLsn\":\"" + pgLsn(lsn) + "\",\"commitTs\":" + micros(commitTime)
                + ",\"emittedTs\":" + micros(emittedAt) + "}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses a marker's record value.
     *
     * @throws IllegalArgumentException quoting the input when it is not a marker
     */
    public static WatermarkMarker parse(byte[] value) {
        String text = value == null ? "null" : new String(value, StandardCharsets.UTF_8);
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.path("lsn").canConvertToLong() || !node.path("commitTs").canConvertToLong()) {
                throw new IllegalArgumentException("not a watermark marker (lsn and commitTs required): " + text);
            }
            long commit = node.get("commitTs").asLong();
            long emitted = node.path("emittedTs").asLong(commit);
            return new WatermarkMarker(node.get("lsn").asLong(), fromMicros(commit), fromMicros(emitted));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a watermark marker (invalid JSON): " + text, e);
        }
    }

    /** Postgres' text form of an LSN, {@code X/Y} in hex. */
    public static String pgLsn(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }

    static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    static Instant fromMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
