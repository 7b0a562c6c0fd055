package dev.commitcast.cdc.publish;

/**
 * What the publisher needs to know about one engine record. Immutable.
 *
 * @param kind         how the record is handled
 * @param topic        Debezium's destination topic
 * @param table        {@code source.table} of a change, empty otherwise
 * @param op           Debezium's {@code op} code ({@code c u d t m}), empty for heartbeats
 * @param lsn          {@code source.lsn}, or {@code -1} when the record has no source position (heartbeat records)
 * @param commitMicros {@code source.ts_us} (commit time, epoch microseconds), or {@code -1}
 * @param txId         {@code source.txId}, the Postgres transaction id of a change, or {@code -1} when it has none
 *                     (heartbeats, non-transactional messages)
 */
public record DecodedEvent(Kind kind, String topic, String table, String op, long lsn, long commitMicros, long txId) {

    /** How a record is handled. */
    public enum Kind {
        /** A row change (or truncate) of a captured table: published to its change topic. */
        CHANGE,
        /** Our heartbeat's logical decoding message: not published; its position drives watermark markers. */
        HEARTBEAT_MESSAGE,
        /** Debezium's own heartbeat record: not published; carries only an offset. */
        HEARTBEAT
    }

    /** True when the record carries a WAL position and commit time. */
    public boolean hasPosition() {
        return lsn >= 0 && commitMicros >= 0;
    }
}
