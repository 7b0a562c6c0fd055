package dev.commitcast.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one builder of hand-written Debezium change events for tests (JsonConverter, schemas.enable=false), as our
 * connector and Debezium's Postgres connector under Kafka Connect produce them, and of watermark marker values.
 */
public final class Envelopes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Envelopes() {
    }

    /** A row image from alternating column names and values ({@code null} values allowed). */
    public static Map<String, Object> row(Object... columnsAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            row.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return row;
    }

    /**
     * A change event with the given op code ({@code c u d t r}), images, LSN and commit time.
     *
     * @param table {@code schema.table}, or a bare table name for {@code public.<table>}
     */
    public static String change(String table, String op, Map<String, Object> before, Map<String, Object> after,
                                long lsn, Instant commitTime) {
        int dot = table.indexOf('.');
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("version", "3.6.3.Final");
        source.put("connector", "postgresql");
        source.put("name", "commitcast");
        source.put("ts_ms", commitTime.toEpochMilli());
        source.put("snapshot", "false");
        source.put("db", "commitcast");
        source.put("ts_us", ChronoUnit.MICROS.between(Instant.EPOCH, commitTime));
        source.put("ts_ns", ChronoUnit.NANOS.between(Instant.EPOCH, commitTime));
        source.put("schema", dot < 0 ? "public" : table.substring(0, dot));
        source.put("table", dot < 0 ? table : table.substring(dot + 1));
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

    /** A watermark marker value: {@code {"lsn":..,"commitTs":<epoch micros>}}, optionally with a rules fingerprint. */
    public static String marker(long lsn, Instant commitTime, String rulesFingerprint) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("lsn", lsn);
        value.put("commitTs", ChronoUnit.MICROS.between(Instant.EPOCH, commitTime));
        if (rulesFingerprint != null) {
            value.put("rules", rulesFingerprint);
        }
        return json(value);
    }

    /** The record key: the primary key as JSON. */
    public static String key(Object... columnsAndValues) {
        return json(row(columnsAndValues));
    }

    /** The value as JSON text. */
    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
