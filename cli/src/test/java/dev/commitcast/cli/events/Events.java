package dev.commitcast.cli.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test data: Debezium change-event envelopes as the cdc-connector writes them (JsonConverter, schemas disabled), its
 * watermark marker values, and {@link EventRecord}s holding them.
 */
public final class Events {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Events() {
    }

    /** A row image from alternating column names and values: {@code row("id", 5, "org_id", 1)}. */
    public static Map<String, Object> row(Object... columnsAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            row.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return row;
    }

    /** A change event of {@code public.<table>} committed at {@code commitTime}. */
    public static String change(String table, String op, Map<String, Object> before, Map<String, Object> after,
                                long lsn, Instant commitTime) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("version", "3.6.3.Final");
        source.put("connector", "postgresql");
        source.put("name", "commitcast");
        source.put("ts_ms", commitTime.toEpochMilli());
        source.put("ts_us", ChronoUnit.MICROS.between(Instant.EPOCH, commitTime));
        source.put("db", "commitcast");
        source.put("schema", "public");
        source.put("table", table);
        source.put("txId", 700 + lsn % 1000);
        source.put("lsn", lsn);
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("before", before);
        envelope.put("after", after);
        envelope.put("source", source);
        envelope.put("transaction", null);
        envelope.put("op", op);
        envelope.put("ts_ms", commitTime.toEpochMilli() + 3);
        return json(envelope);
    }

    /** A user created now in {@code org}. */
    public static String userCreated(long org, long id) {
        return change("users", "c", null, row("id", id, "org_id", org, "email", "u" + id + "@example.com"), 1000 + id,
                Instant.now());
    }

    /** A watermark marker value. */
    public static String marker(long lsn, Instant commitTime) {
        return json(Map.of("lsn", lsn, "commitTs", ChronoUnit.MICROS.between(Instant.EPOCH, commitTime)));
    }

    /** A recorded change event at {@code topic}-0@offset. */
    public static EventRecord record(String topic, long offset, String key, String value) {
        return new EventRecord(topic, 0, offset, 1_767_225_600_000L, key, value, Map.of(), false);
    }

    /** A recorded watermark marker. */
    public static EventRecord markerRecord(String topic, long offset) {
        return new EventRecord(topic, 0, offset, 1_767_225_600_000L, null, marker(30_969_616, Instant.now()),
                Map.of("commitcast-marker", "watermark"), true);
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
