package dev.commitcast.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commitcast.core.Operation;
import dev.commitcast.core.RowChange;
import dev.commitcast.core.SourcePosition;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes the value of a Debezium change event, as written by our cdc-connector or by Debezium's Postgres connector
 * under Kafka Connect's {@code JsonConverter} ({@code schemas.enable=false}; an envelope with {@code schema} and
 * {@code payload} is unwrapped too), into a {@link RowChange}:
 * <pre>
 * {"before":{...}|null,"after":{...}|null,"op":"c|u|d|r|t","ts_ms":...,
 *  "source":{"schema":"public","table":"users","lsn":123,"txId":7,"ts_us":...,"ts_ms":...}}
 * </pre>
 * The table is {@code source.schema}.{@code source.table}; the commit time is {@code source.ts_us}, else
 * {@code source.ts_ns}, {@code source.ts_ms}, the envelope's {@code ts_ms}, and finally the Kafka record timestamp.
 * Numbers may be JSON numbers or numeric strings. Column values are kept as JSON gives them ({@code Integer},
 * {@code Long}, {@code BigInteger}, {@code BigDecimal}, {@code String}, {@code Boolean}, {@code null}); nested values
 * as JSON text. Whether an image has the columns a rule needs is checked later, by the rules.
 *
 * <p>Stateless and thread-safe.
 */
public final class ChangeEventDecoder {

    /**
     * Decodes one record value (never a tombstone: callers skip {@code null} values).
     *
     * @param value             the record value, UTF-8 JSON
     * @param recordTimestampMs the Kafka record timestamp, the last resort for the commit time
     * @throws ChangeDecodeException naming the table when it could be read, if the value is not a change event
     */
    public RowChange decode(byte[] value, long recordTimestampMs) {
        JsonNode root = JsonFields.parse(value, "change event");
        JsonNode envelope = root.has("payload") && root.has("schema") ? root.get("payload") : root;
        if (!envelope.isObject()) {
            throw new ChangeDecodeException(null, "change event is a JSON " + envelope.getNodeType()
                    + ", expected an object", null);
        }
        JsonNode source = envelope.get("source");
        String table = JsonFields.text(source, "table");
        String schema = JsonFields.text(source, "schema");
        if (table == null || table.isBlank()) {
            throw new ChangeDecodeException(null, "change event has no source.table", null);
        }
        if (schema == null || schema.isBlank()) {
            throw new ChangeDecodeException(null, "change event of table " + table + " has no source.schema", null);
        }
        String qualified = schema + "." + table;
        String code = JsonFields.text(envelope, "op");
        if (code == null) {
            throw new ChangeDecodeException(qualified, "change event of table " + qualified + " has no op", null);
        }
        try {
            Operation op = Operation.fromDebeziumCode(code);
            return new RowChange(schema, table, op, image(envelope, "before"), image(envelope, "after"),
                    position(source, envelope, recordTimestampMs));
        } catch (IllegalArgumentException e) { // includes NumberFormatException
            throw new ChangeDecodeException(qualified, "change event of table " + qualified + ": " + e.getMessage(),
                    e);
        }
    }

    private static Map<String, Object> image(JsonNode envelope, String name) {
        JsonNode node = envelope.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(name + " is a JSON " + node.getNodeType() + ", expected an object");
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> column : node.properties()) {
            row.put(column.getKey(), value(column.getValue()));
        }
        return row;
    }

    private static Object value(JsonNode node) {
        return switch (node.getNodeType()) {
            case NULL, MISSING -> null;
            case NUMBER -> node.numberValue();
            case STRING -> node.textValue();
            case BOOLEAN -> node.booleanValue();
            default -> node.toString();
        };
    }

    private static SourcePosition position(JsonNode source, JsonNode envelope, long recordTimestampMs) {
        Long lsn = JsonFields.optionalLong(source, "lsn");
        Long txId = JsonFields.optionalLong(source, "txId");
        return new SourcePosition(lsn == null ? 0 : lsn, commitTime(source, envelope, recordTimestampMs),
                txId == null ? 0 : txId);
    }

    private static Instant commitTime(JsonNode source, JsonNode envelope, long recordTimestampMs) {
        Long micros = JsonFields.optionalLong(source, "ts_us");
        if (micros != null) {
            return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
        }
        Long nanos = JsonFields.optionalLong(source, "ts_ns");
        if (nanos != null) {
            return Instant.EPOCH.plusNanos(nanos);
        }
        Long millis = JsonFields.optionalLong(source, "ts_ms");
        if (millis == null) {
            millis = JsonFields.optionalLong(envelope, "ts_ms");
        }
        return Instant.ofEpochMilli(millis != null ? millis : recordTimestampMs);
    }
}
