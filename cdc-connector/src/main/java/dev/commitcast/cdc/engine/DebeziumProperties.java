package dev.commitcast.cdc.engine;

import dev.commitcast.cdc.CdcSettings;
import dev.commitcast.cdc.config.PostgresUrl;
import java.util.Properties;

/** The Debezium engine and Postgres connector configuration derived from {@link CdcSettings}. */
public final class DebeziumProperties {
    /** Prefix of our heartbeat's logical decoding message; the only prefix the connector lets through. */
    public static final String HEARTBEAT_MESSAGE_PREFIX = "commitcast-heartbeat";
    /**
     * Transactional, so it is decoded in commit order with the data changes and moves the slot on an idle database.
     * Committed with {@code synchronous_commit = local} (set for its own transaction only): it is flushed locally, so
     * it is decoded, but it never waits for a synchronous standby — a standby that does not answer must not stall the
     * watermark while no data changes (ADR-0008). It carries no data, so a standby missing it loses nothing.
     */
    public static final String HEARTBEAT_QUERY = "SELECT set_config('synchronous_commit', 'local', true), "
            + "pg_logical_emit_message(true, '" + HEARTBEAT_MESSAGE_PREFIX + "', now()::text)";

    private static final String FILE_STORE = "org.apache.kafka.connect.storage.FileOffsetBackingStore";
    private static final String KAFKA_STORE = "org.apache.kafka.connect.storage.KafkaOffsetBackingStore";

    private DebeziumProperties() {
    }

    public static Properties from(CdcSettings s) {
        PostgresUrl pg = s.postgres();
        Properties p = new Properties();
        // engine
        p.setProperty("name", s.engineName());
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.flush.interval.ms", String.valueOf(s.offsetFlushInterval().toMillis()));
        p.setProperty("offset.flush.timeout.ms", "10000");
        p.setProperty("errors.max.retries", String.valueOf(s.engineMaxRetries()));
        p.setProperty("errors.retry.delay.initial.ms", "300");
        p.setProperty("errors.retry.delay.max.ms", "10000");
        p.setProperty("record.processing.shutdown.timeout.ms", "5000");
        offsetStore(s, p);
        // JSON without schemas: the envelope Kafka Connect's JsonConverter gives with schemas.enable=false
        p.setProperty("converter.schemas.enable", "false");
        // source
        p.setProperty("database.hostname", pg.host());
        p.setProperty("database.port", String.valueOf(pg.port()));
        p.setProperty("database.dbname", pg.database());
        p.setProperty("database.user", s.user());
        p.setProperty("database.password", s.password());
        String sslMode = pg.parameters().get("sslmode");
        if (sslMode != null) {
            p.setProperty("database.sslmode", sslMode);
        }
        p.setProperty("topic.prefix", s.topicPrefix());
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("publication.name", s.publication());
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("slot.name", s.slotName());
        p.setProperty("slot.drop.on.stop", "false");
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("poll.interval.ms", String.valueOf(s.pollInterval().toMillis()));
        // Debezium skips TRUNCATE by default; a truncate must bust every cached key of the table.
        p.setProperty("skipped.operations", "none");
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("heartbeat.interval.ms", String.valueOf(s.heartbeatInterval().toMillis()));
        p.setProperty("heartbeat.action.query", HEARTBEAT_QUERY);
        p.setProperty("message.prefix.include.list", HEARTBEAT_MESSAGE_PREFIX);
        p.setProperty("retriable.restart.connector.wait.ms", "3000");
        return p;
    }

    private static void offsetStore(CdcSettings s, Properties p) {
        switch (s.offsetStore()) {
            case FILE -> {
                p.setProperty("offset.storage", FILE_STORE);
                p.setProperty("offset.storage.file.filename", s.offsetFile().toAbsolutePath().toString());
            }
            case KAFKA -> {
                p.setProperty("offset.storage", KAFKA_STORE);
                p.setProperty("bootstrap.servers", s.kafkaBootstrap());
                p.setProperty("offset.storage.topic", s.offsetTopic());
                p.setProperty("offset.storage.partitions", "1");
                p.setProperty("offset.storage.replication.factor", String.valueOf(s.replicationFactor()));
            }
        }
    }
}
