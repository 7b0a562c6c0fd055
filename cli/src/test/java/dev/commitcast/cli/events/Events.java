package dev.commitcast.cli.events;

import dev.commitcast.testsupport.Envelopes;

import java.time.Instant;
import java.util.Map;

/**
 * Test data: {@link EventRecord}s holding change events and watermark markers, built with the one event builder
 * (test-support {@link Envelopes}).
 */
public final class Events {
    private Events() {
    }

    /** A row image from alternating column names and values: {@code row("id", 5, "org_id", 1)}. */
    public static Map<String, Object> row(Object... columnsAndValues) {
        return Envelopes.row(columnsAndValues);
    }

    /** A change event of {@code public.<table>} committed at {@code commitTime} (the one builder, test-support). */
    public static String change(String table, String op, Map<String, Object> before, Map<String, Object> after,
                                long lsn, Instant commitTime) {
        return Envelopes.change(table, op, before, after, lsn, commitTime);
    }

    /** A user created now in {@code org}. */
    public static String userCreated(long org, long id) {
        return change("users", "c", null, row("id", id, "org_id", org, "email", "u" + id + "@example.com"), 1000 + id,
                Instant.now());
    }

    /** A watermark marker value. */
    public static String marker(long lsn, Instant commitTime) {
        return Envelopes.marker(lsn, commitTime, null);
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
        return Envelopes.json(value);
    }
}
