package dev.commitcast.cdc.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.commitcast.cdc.CdcSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DebeziumPropertiesTest {

    @Test
    void pgoutputOnTheMigrationsPublicationWithTruncatesHeartbeatMessagesAndFastPolling() {
        CdcSettings settings = CdcSettings.builder().jdbcUrl("jdbc:postgresql://pg:5433/app?sslmode=verify-full")
                .user("cdc").password("pw").kafkaBootstrap("k:9092").dataDir(Path.of("/var/lib/cdc"))
                .heartbeatInterval(Duration.ofMillis(750)).rules(Path.of("rules.yml")).build();
        Properties p = DebeziumProperties.from(settings);
        assertEquals("io.debezium.connector.postgresql.PostgresConnector", p.getProperty("connector.class"));
        assertEquals("pg", p.getProperty("database.hostname"));
        assertEquals("5433", p.getProperty("database.port"));
        assertEquals("app", p.getProperty("database.dbname"));
        assertEquals("verify-full", p.getProperty("database.sslmode"));
        assertEquals("pgoutput", p.getProperty("plugin.name"));
        assertEquals("commitcast_pub", p.getProperty("publication.name"));
        assertEquals("disabled", p.getProperty("publication.autocreate.mode"));
        assertEquals("commitcast_slot", p.getProperty("slot.name"));
        assertEquals("no_data", p.getProperty("snapshot.mode"));
        assertEquals("5", p.getProperty("poll.interval.ms"));
        assertEquals("none", p.getProperty("skipped.operations"));
        assertEquals("string", p.getProperty("decimal.handling.mode"));
        assertEquals("false", p.getProperty("tombstones.on.delete"));
        assertEquals("750", p.getProperty("heartbeat.interval.ms"));
        assertEquals("SELECT set_config('synchronous_commit', 'local', true), "
                        + "pg_logical_emit_message(true, 'commitcast-heartbeat', now()::text)",
                p.getProperty("heartbeat.action.query"));
        assertEquals("commitcast-heartbeat", p.getProperty("message.prefix.include.list"));
        assertEquals("commitcast", p.getProperty("topic.prefix"));
        assertEquals("false", p.getProperty("converter.schemas.enable"));
        assertEquals("org.apache.kafka.connect.storage.FileOffsetBackingStore", p.getProperty("offset.storage"));
        assertEquals("/var/lib/cdc/offsets-commitcast_slot.dat", p.getProperty("offset.storage.file.filename"));
        assertEquals("5", p.getProperty("errors.max.retries"));
    }
}
