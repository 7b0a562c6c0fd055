package dev.commitcast.invalidator.decode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commitcast.keys.Watermark;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The cdc-connector's watermark marker: a record with header {@code commitcast-marker: watermark} and value
 * {@code {"lsn":<long>,"commitTs":<epoch micros | ISO-8601>}}, written to every partition of every change topic. It
 * promises that every change committed at or before {@code lsn} that belongs to its partition came before it.
 *
 * <p>This class is the one place that knows the marker's format. Accepted: {@code lsn} as a JSON integer or numeric
 * string; {@code commitTs} as epoch microseconds (number or numeric string) or an ISO-8601 instant or offset
 * date-time. Stateless and thread-safe.
 */
public final class WatermarkMarker {

    /** Header that flags a marker record. */
    public static final String HEADER = "commitcast-marker";
    /** Value of {@link #HEADER} for a watermark marker. */
    public static final String WATERMARK = "watermark";

    private WatermarkMarker() {
    }

    /** Returns whether the record carries the marker header (last value wins, compared ignoring case). */
    public static boolean isMarker(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(HEADER);
        return header != null && header.value() != null
                && WATERMARK.equalsIgnoreCase(new String(header.value(), StandardCharsets.UTF_8).strip());
    }

    /**
     * Parses a marker's value.
     *
     * @throws ChangeDecodeException quoting the problem, when the value is not a marker
     */
    public static Watermark parse(byte[] value) {
        if (value == null) {
            throw new ChangeDecodeException(null, "watermark marker has no value", null);
        }
        JsonNode root = JsonFields.parse(value, "watermark marker");
        try {
            Long lsn = JsonFields.optionalLong(root, "lsn");
            if (lsn == null) {
                throw new IllegalArgumentException("field 'lsn' missing");
            }
            return new Watermark(lsn, commitTime(root.get("commitTs")));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ChangeDecodeException(null, "watermark marker " + root + ": " + e.getMessage(), e);
        }
    }

    private static Instant commitTime(JsonNode node) {
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("field 'commitTs' missing");
        }
        if (!node.isNumber() && !node.isTextual()) {
            throw new IllegalArgumentException("field 'commitTs' is " + node
                    + ", expected epoch microseconds or an ISO-8601 timestamp");
        }
        if (node.isNumber() || node.textValue().strip().matches("-?\\d+")) {
            long micros = node.isNumber() ? node.longValue() : Long.parseLong(node.textValue().strip());
            return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
        }
        String text = node.textValue().strip();
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(text).toInstant();
        }
    }
}
