package dev.commitcast.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Each server of the shared stack really answers, with the settings the platform relies on. */
class ServersAnswerIT {
    private final DevStack stack = DevStack.shared();

    @Test
    void postgresAnswersWithLogicalWalLevel() throws SQLException {
        PostgresEndpoint pg = stack.postgres();
        try (Connection c = pg.connect(pg.database()); Statement s = c.createStatement()) {
            assertEquals(1, single(s, "select 1"));
            assertEquals("logical", singleText(s, "show wal_level"));
            assertEquals("20", singleText(s, "show max_replication_slots"));
            assertEquals("true", singleText(s, "select rolreplication::text from pg_roles where rolname = current_user"));
            assertEquals(pg.user(), singleText(s, "select pg_get_userbyid(datdba) from pg_database where datname = current_database()"));
        }
    }

    @Test
    void postgresAcceptsLogicalReplicationAsTheAppRole() throws SQLException {
        PostgresEndpoint pg = stack.postgres();
        String slot = "it_slot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = pg.connect(pg.database()); Statement s = c.createStatement()) {
            s.execute("select pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
            s.execute("select pg_drop_replication_slot('" + slot + "')");
        }
        // A replication connection (what Debezium opens) needs the "host replication" line in pg_hba.conf.
        Properties props = new Properties();
        props.setProperty("user", pg.user());
        props.setProperty("password", pg.password());
        props.setProperty("replication", "database");
        props.setProperty("assumeMinServerVersion", "10");
        props.setProperty("preferQueryMode", "simple");
        try (Connection c = java.sql.DriverManager.getConnection(pg.jdbcUrl(pg.database()), props);
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("IDENTIFY_SYSTEM")) {
            assertTrue(rs.next());
            assertEquals(pg.database(), rs.getString("dbname"));
        }
    }

    @Test
    void psqlAcceptsTheUri() throws IOException, InterruptedException {
        Path psql = TestProcesses.psql();
        org.junit.jupiter.api.Assumptions.assumeTrue(psql != null, "psql is not installed");
        PostgresEndpoint pg = stack.postgres();
        Process p = new ProcessBuilder(psql.toString(), pg.uri(pg.database()), "-tAc", "select 40 + 2")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "psql did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        assertEquals("42", out);
    }

    @Test
    void redisAnswersPingSetGetOverARawSocket() throws IOException {
        RedisEndpoint redis = stack.redis();
        assertEquals("redis://" + redis.host() + ":" + redis.port(), redis.uri());
        String key = "it:" + UUID.randomUUID();
        try (RedisWire wire = new RedisWire(redis)) {
            assertEquals("+PONG", wire.call("PING"));
            assertEquals("+OK", wire.call("SET", key, "value-1"));
            assertEquals("value-1", wire.call("GET", key));
            assertNull(wire.call("GET", key + ":missing"));
        }
        assertTrue(redis.ping());
    }

    @Test
    void kafkaCreatesATopicAndDeliversARecord() {
        KafkaEndpoint kafka = stack.kafka();
        String topic = "it-roundtrip-" + UUID.randomUUID();
        kafka.createTopic(topic, 2);
        kafka.createTopic(topic, 2);  // idempotent
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "key-1", "value-1")).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("produce failed", e);
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> received = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
            assertEquals(1, received.size(), "records received within 30 s");
            assertEquals("key-1", received.getFirst().key());
            assertEquals("value-1", received.getFirst().value());
        }
    }

    private static int single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getInt(1);
        }
    }

    private static String singleText(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }
}
