package dev.commitcast.cli.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commitcast.events.WatermarkMarker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON-lines format of recorded events, one object per line:
 * <pre>
 * {"topic":"commitcast.public.users","partition":1,"offset":42,"timestamp":1767225600000,
 *  "key":"{\"id\":9}","value":"{\"before\":null,\"after\":{...},\"source\":{...},\"op\":\"c\"}",
 *  "headers":{},"marker":false}
 * </pre>
 * {@code key} and {@code value} hold the record's raw text as JSON strings ({@code null} when absent); on reading, a
 * {@code value} given as a JSON object is taken as its text, so hand-written files may inline the envelope.
 * {@code topic}, {@code partition}, {@code offset} and {@code value} are required; {@code timestamp} (default -1),
 * {@code key}, {@code headers} and {@code marker} (default: whether the headers flag a marker) are optional.
 * Stateless and thread-safe.
 */
public final class EventLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventLines() {
    }

    /** Returns the record as one line (no line terminator). */
    public static String write(EventRecord record) {
        ObjectNode node = JSON.createObjectNode();
        node.put("topic", record.topic());
        node.put("partition", record.partition());
        node.put("offset", record.offset());
        node.put("timestamp", record.timestamp());
        node.put("key", record.key());
        node.put("value", record.value());
        ObjectNode headers = node.putObject("headers");
        record.headers().forEach(headers::put);
        node.put("marker", record.marker());
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + record.position() + " as JSON", e);
        }
    }

    /**
     * Parses one line.
     *
     * @throws IllegalArgumentException saying what is wrong (not JSON, a field missing or of the wrong type)
     */
    public static EventRecord parse(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String topic = requiredText(node, "topic");
        long partition = integer(node, "partition", null);
        if (partition > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("field 'partition' is " + partition + ", too large");
        }
        long offset = integer(node, "offset", null);
        long timestamp = integer(node, "timestamp", -1L);
        if (!node.has("value")) {
            throw new IllegalArgumentException("field 'value' is missing (use null for a tombstone)");
        }
        Map<String, String> headers = headers(node.get("headers"));
        String key = text(node, "key");
        String value = node.get("value").isObject() ? node.get("value").toString() : text(node, "value");
        EventRecord withoutFlag = new EventRecord(topic, (int) partition, offset, timestamp, key, value, headers, false);
        boolean marker = bool(node, "marker")
                || WatermarkMarker.isMarker(withoutFlag.kafkaHeaders());
        return new EventRecord(topic, (int) partition, offset, timestamp, key, value, headers, marker);
    }

    private static String requiredText(JsonNode node, String field) {
        String text = text(node, field);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("field '" + field + "' is missing or empty");
        }
        return text;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' is " + value + ", expected a string");
        }
        return value.textValue();
    }

    private static long integer(JsonNode node, String field, Long defaultValue) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (defaultValue == null) {
                throw new IllegalArgumentException("field '" + field + "' is missing");
            }
            return defaultValue;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || (defaultValue == null && value.longValue() < 0)) {
            throw new IllegalArgumentException("field '" + field + "' is " + value + ", expected an integer"
                    + (defaultValue == null ? " >= 0" : ""));
        }
        return value.longValue();
    }

    private static boolean bool(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException("field '" + field + "' is " + value + ", expected true or false");
        }
        return value.booleanValue();
    }

    private static Map<String, String> headers(JsonNode node) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return headers;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("field 'headers' is " + node + ", expected an object of strings");
        }
        for (Map.Entry<String, JsonNode> header : node.properties()) {
            JsonNode value = header.getValue();
            if (!value.isNull() && !value.isTextual()) {
                throw new IllegalArgumentException("header '" + header.getKey() + "' is " + value
                        + ", expected a string");
            }
            headers.put(header.getKey(), value.isNull() ? null : value.textValue());
        }
        return headers;
    }
}
