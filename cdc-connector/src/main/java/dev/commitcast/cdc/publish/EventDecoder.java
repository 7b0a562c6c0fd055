package dev.commitcast.cdc.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Classifies engine records by destination and reads their source position from the JSON value (the envelope of
 * Kafka Connect's {@code JsonConverter} without schemas). Thread-safe.
 */
public final class EventDecoder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String messageTopic;
    private final String heartbeatTopic;

    /**
     * @param messageTopic   Debezium's logical-decoding message topic, {@code <prefix>.message}
     * @param heartbeatTopic Debezium's heartbeat topic, {@code __debezium-heartbeat.<prefix>}
     */
    public EventDecoder(String messageTopic, String heartbeatTopic) {
        this.messageTopic = messageTopic;
        this.heartbeatTopic = heartbeatTopic;
    }

    /**
     * @throws MalformedEventException when a change or message value is not a JSON envelope with a source
     */
    public DecodedEvent decode(String topic, byte[] value) {
        if (heartbeatTopic.equals(topic)) {
            return new DecodedEvent(DecodedEvent.Kind.HEARTBEAT, topic, "", "", -1, -1, -1);
        }
        DecodedEvent.Kind kind = messageTopic.equals(topic) ? DecodedEvent.Kind.HEARTBEAT_MESSAGE
                : DecodedEvent.Kind.CHANGE;
        if (value == null) {
            throw new MalformedEventException(topic, "null value (tombstones are disabled; this is unexpected)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (IOException e) {
            throw new MalformedEventException(topic, "value is not JSON: " + e.getMessage());
        }
        JsonNode source = root.path("source");
        if (!source.path("lsn").canConvertToLong()) {
            throw new MalformedEventException(topic, "value has no source.lsn");
        }
        long commitMicros = source.path("ts_us").canConvertToLong() ? source.get("ts_us").asLong()
                : source.path("ts_ms").asLong(-1) * 1000;
        return new DecodedEvent(kind, topic, source.path("table").asText(""), root.path("op").asText(""),
                source.get("lsn").asLong(), commitMicros, source.path("txId").asLong(-1));
    }

    /** A record the publisher cannot interpret: a bug or an incompatible Debezium version, not a transient fault. */
    public static final class MalformedEventException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedEventException(String topic, String problem) {
            super("Malformed event on " + topic + ": " + problem);
        }
    }
}
