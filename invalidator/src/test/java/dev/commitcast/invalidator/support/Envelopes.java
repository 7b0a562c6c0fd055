package dev.commitcast.invalidator.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hand-written Debezium change-event envelopes (JsonConverter, schemas.enable=false), as the cdc-connector and
 * Debezium's Postgres connector under Kafka Connect produce them, and the cdc-connector's watermark markers.
 */
public final class Envelopes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Envelopes() {
    }

    /** A row image from alternating column names and values: {@code row("id", 5, "org_id", 1)}. */
    public static Map<String, Object> row(Object... columnsAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            row.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return row;
    }

    /** A change event of {@code public.<table>} with the given op code, images, LSN and commit time. */
    public static String change(String table, String op, Map<String, Object> before, Map<String, Object> after,
                                long lsn, Instant commitTime) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("version", "3.6.3.Final");
        source.put("connector", "postgresql");
        source.put("name", "commitcast");
        source.put("ts_ms", commitTime.toEpochMilli());
        source.put("snapshot", "false");
        source.put("db", "commitcast");
        source.put("ts_us", ChronoUnit.MICROS.between(Instant.EPOCH, commitTime));
        source.put("ts_ns", ChronoUnit.NANOS.between(Instant.EPOCH, commitTime));
        source.put("schema", "public");
        source.put("table", table);
        source.put("txId", 700 + lsn % 1000);
        source.put("lsn", lsn);
        source.put("xmin", null);
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("before", before);
        envelope.put("after", after);
        envelope.put("source", source);
        envelope.put("transaction", null);
        envelope.put("op", op);
        envelope.put("ts_ms", commitTime.toEpochMilli() + 3);
        return json(envelope);
    }

    /** A change event committed now. */
    public static String change(String table, String op, Map<String, Object> before, Map<String, Object> after,
                                long lsn) {
        return change(table, op, before, after, lsn, Instant.now());
    }

    /** A watermark marker value: {@code {"lsn":..,"commitTs":<epoch micros>}}. */
    public static String marker(long lsn, Instant commitTime) {
        return json(Map.of("lsn", lsn, "commitTs", ChronoUnit.MICROS.between(Instant.EPOCH, commitTime)));
    }

    /** The record key: the primary key as JSON. */
    public static String key(Object... columnsAndValues) {
        return json(row(columnsAndValues));
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
