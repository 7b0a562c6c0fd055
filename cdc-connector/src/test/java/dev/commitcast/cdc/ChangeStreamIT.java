package dev.commitcast.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.commitcast.cdc.testsupport.CdcTestDatabase;
import dev.commitcast.cdc.testsupport.TopicTail;
import dev.commitcast.cdc.testsupport.Wait;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Row changes made over plain JDBC arrive on their table's topic, keyed by primary key, in Debezium's envelope. */
class ChangeStreamIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static CdcTestDatabase db;
    private static CdcConnector connector;
    private static SimpleMeterRegistry registry;
    private static TopicTail tail;

    @BeforeAll
    static void start() throws InterruptedException {
        db = CdcTestDatabase.migrated("stream");
        registry = new SimpleMeterRegistry();
        connector = CdcConnector.create(db.settings().build(), registry, Clock.systemUTC());
        connector.start();
        assertTrue(connector.awaitStreaming(TIMEOUT), "engine did not start streaming");
        tail = new TopicTail(db.bootstrap(), db.allTopics());
    }

    @AfterAll
    static void stop() {
        if (tail != null) {
            tail.close();
        }
        if (connector != null) {
            connector.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void createsEveryChangeTopicWithTheConfiguredPartitions() {
        Map<String, Integer> expected = db.allTopics().stream().collect(Collectors.toMap(t -> t, t -> 3));
        assertEquals(expected, connector.changeTopics());
    }

    @Test
    void updateArrivesKeyedByPrimaryKeyWithBeforeAndAfterImagesAndSourcePosition() throws Exception {
        long txId;
        Instant beforeCommit = Instant.now();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate("update users set display_name = 'Updated Name' where id = 2");
            try (ResultSet rs = s.executeQuery("select txid_current()")) {
                rs.next();
                txId = rs.getLong(1);
            }
            c.commit();
        }
        ConsumerRecord<byte[], byte[]> r = tail.await("the update of user 2", TIMEOUT, rec ->
                rec.topic().equals(db.topic("users")) && !TopicTail.isControl(rec)
                        && json(rec.value()).path("op").asText().equals("u")
                        && json(rec.value()).path("source").path("txId").asLong() == txId);

        assertEquals(Map.of("id", 2), JSON.convertValue(json(r.key()), Map.class));
        JsonNode v = json(r.value());
        assertEquals(2, v.path("before").path("id").asInt());
        assertTrue(v.path("before").has("org_id"), "REPLICA IDENTITY FULL gives the full before image: " + v);
        assertEquals(v.path("before").path("org_id"), v.path("after").path("org_id"));
        // an update of a column no rule reads is still an event, but only the primary key and the columns the rules
        // read are published (ColumnProjection): display_name, email, timestamps are left out of both images
        assertEquals(Set.of("id", "org_id"), fieldNames(v.path("after")), "projected after image: " + v);
        assertEquals(Set.of("id", "org_id"), fieldNames(v.path("before")), "projected before image: " + v);
        JsonNode source = v.path("source");
        assertEquals("users", source.path("table").asText());
        assertEquals("public", source.path("schema").asText());
        assertEquals(txId, source.path("txId").asLong());
        assertTrue(source.path("lsn").asLong() > 0, "source.lsn: " + source);
        long commitMs = source.path("ts_ms").asLong();
        assertTrue(Math.abs(commitMs - beforeCommit.toEpochMilli()) < 10_000, "source.ts_ms is the commit time");
        assertTrue(v.has("ts_ms"), "envelope ts_ms");
        assertNull(v.get("schema"), "JSON without schemas");
    }

    @Test
    void insertAndDeleteArrive() throws Exception {
        long id;
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("insert into orgs (slug, name) values ('cdc-new-org', 'New Org') returning id")) {
            rs.next();
            id = rs.getLong(1);
        }
        ConsumerRecord<byte[], byte[]> created = tail.await("insert of cdc-new-org", TIMEOUT, rec ->
                rec.topic().equals(db.topic("orgs")) && !TopicTail.isControl(rec)
                        && json(rec.value()).path("op").asText().equals("c")
                        && json(rec.value()).path("after").path("id").asLong() == id);
        assertTrue(json(created.value()).path("before").isNull());
        assertEquals(id, json(created.key()).path("id").asLong());

        db.execute("delete from orgs where id = " + id);
        ConsumerRecord<byte[], byte[]> deleted = tail.await("delete of org " + id, TIMEOUT, rec ->
                rec.topic().equals(db.topic("orgs")) && !TopicTail.isControl(rec)
                        && json(rec.value()).path("op").asText().equals("d")
                        && json(rec.value()).path("before").path("id").asLong() == id);
        assertTrue(json(deleted.value()).path("after").isNull());
        assertEquals(Set.of("id"), fieldNames(json(deleted.value()).path("before")), "the rules of orgs read its id");
        assertEquals(created.partition(), deleted.partition(), "a row's events share a partition");
        assertTrue(deleted.offset() > created.offset());
    }

    @Test
    void compositeKeysAreTheWholePrimaryKey() {
        db.execute("update role_permissions set granted_at = now() where role_id = 1 and permission = "
                + "(select min(permission) from role_permissions where role_id = 1)");
        ConsumerRecord<byte[], byte[]> r = tail.await("role_permissions update", TIMEOUT, rec ->
                rec.topic().equals(db.topic("role_permissions")) && !TopicTail.isControl(rec)
                        && json(rec.value()).path("op").asText().equals("u"));
        assertEquals(Set.of("role_id", "permission"), fieldNames(json(r.key())));
    }

    @Test
    void truncateArrivesOnEveryPartitionOfTheTable() {
        db.execute("truncate org_settings");
        List<ConsumerRecord<byte[], byte[]>> truncates = tail.awaitCount("truncate of org_settings", TIMEOUT, 3,
                rec -> rec.topic().equals(db.topic("org_settings")) && !TopicTail.isControl(rec)
                        && json(rec.value()).path("op").asText().equals("t"));
        assertEquals(Set.of(0, 1, 2), truncates.stream().map(ConsumerRecord::partition).collect(Collectors.toSet()));
        ConsumerRecord<byte[], byte[]> t = truncates.getFirst();
        assertNull(t.key());
        assertEquals("org_settings", json(t.value()).path("source").path("table").asText());
        assertTrue(json(t.value()).path("source").path("lsn").asLong() > 0);
    }

    @Test
    void countsEventsAndReportsAcknowledgedPosition() {
        db.execute("update roles set description = 'metrics' where id = 1");
        tail.await("roles update", TIMEOUT, rec -> rec.topic().equals(db.topic("roles")) && !TopicTail.isControl(rec)
                && json(rec.value()).path("op").asText().equals("u") && json(rec.value()).path("after").path("id").asLong() == 1);
        Wait.until("events counter for roles/u", TIMEOUT, () -> registry.find("commitcast.cdc.events")
                .tags("table", "roles", "op", "u").counter() != null);
        Wait.until("acknowledged position recorded", TIMEOUT, () -> connector.status().ackedLsn() > 0);
        assertTrue(connector.status().healthy(), connector.status().toString());
        assertNotNull(registry.find("commitcast.cdc.commit.to.ack").timer());
        assertTrue(registry.find("commitcast.cdc.commit.to.ack").timer().count() > 0);
        Wait.until("slot retained WAL measured", TIMEOUT, () ->
                registry.find("commitcast.cdc.slot.retained.wal").gauge().value() >= 0);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static JsonNode json(byte[] bytes) {
        try {
            return bytes == null ? JSON.nullNode() : JSON.readTree(bytes);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + TopicTail.text(bytes), e);
        }
    }
}
