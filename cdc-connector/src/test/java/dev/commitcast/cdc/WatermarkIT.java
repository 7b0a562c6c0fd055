package dev.commitcast.cdc;

import dev.commitcast.events.WatermarkMarker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commitcast.cdc.testsupport.CdcTestDatabase;
import dev.commitcast.cdc.testsupport.TopicTail;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Watermark markers reach every partition of every change topic, advance on an idle database and follow changes. */
class WatermarkIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static CdcTestDatabase db;
    private static CdcConnector connector;
    private static TopicTail tail;

    @BeforeAll
    static void start() throws InterruptedException {
        db = CdcTestDatabase.migrated("watermark");
        connector = CdcConnector.create(db.settings().heartbeatInterval(Duration.ofMillis(250)).build(),
                new SimpleMeterRegistry(), Clock.systemUTC());
        connector.start();
        assertTrue(connector.awaitStreaming(TIMEOUT));
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
    void aMarkerReachesEveryPartitionOfEveryChangeTopic() {
        tail.awaitCount("a marker on each of 15 partitions", TIMEOUT, 15, r -> TopicTail.isMarker(r) && isFirst(r));
        Set<String> partitions = new TreeSet<>();
        for (ConsumerRecord<byte[], byte[]> r : tail.seen()) {
            if (TopicTail.isMarker(r)) {
                partitions.add(r.topic() + "/" + r.partition());
                assertNull(r.key(), "markers have no key");
                JsonNode v = ChangeStreamIT.json(r.value());
                assertEquals(Set.of("lsn", "pgLsn", "commitTs", "emittedTs", "rules"), fieldNames(v));
                assertEquals(dev.commitcast.testsupport.Repo.demoRules().fingerprint(), v.path("rules").asText(),
                        "markers name the rules the connector runs");
                WatermarkMarker m = WatermarkMarker.parse(r.value());
                assertEquals(WatermarkMarker.pgLsn(m.lsn()), v.path("pgLsn").asText());
                assertTrue(!m.emittedAt().isBefore(m.commitTime()), "emitted after commit: " + m);
            }
        }
        Set<String> expected = new TreeSet<>();
        for (String topic : db.allTopics()) {
            for (int p = 0; p < 3; p++) {
                expected.add(topic + "/" + p);
            }
        }
        assertEquals(expected, partitions);
    }

    @Test
    void markersAdvanceOnAnIdleDatabase() {
        String users0 = db.topic("users");
        ConsumerRecord<byte[], byte[]> first = tail.await("a marker on users/0", TIMEOUT,
                r -> TopicTail.isMarker(r) && r.topic().equals(users0) && r.partition() == 0);
        WatermarkMarker m1 = WatermarkMarker.parse(first.value());
        // No writes: only the heartbeat's logical decoding messages move the stream.
        ConsumerRecord<byte[], byte[]> later = tail.await("a later marker on users/0", TIMEOUT,
                r -> TopicTail.isMarker(r) && r.topic().equals(users0) && r.partition() == 0
                        && WatermarkMarker.parse(r.value()).lsn() > m1.lsn());
        WatermarkMarker m2 = WatermarkMarker.parse(later.value());
        assertTrue(m2.commitTime().isAfter(m1.commitTime()), m1 + " then " + m2);
        assertTrue(later.offset() > first.offset());
    }

    @Test
    void aMarkerFollowsEachChangeInItsPartitionAndCoversIt() {
        db.execute("update users set status = 'suspended' where id = 3");
        ConsumerRecord<byte[], byte[]> change = tail.await("update of user 3", TIMEOUT, r -> !TopicTail.isMarker(r)
                && r.topic().equals(db.topic("users"))
                && ChangeStreamIT.json(r.value()).path("op").asText().equals("u")
                && ChangeStreamIT.json(r.value()).path("after").path("id").asInt() == 3); // status is not published
        long changeLsn = ChangeStreamIT.json(change.value()).path("source").path("lsn").asLong();
        ConsumerRecord<byte[], byte[]> marker = tail.await("a marker after it in users/" + change.partition(),
                TIMEOUT, r -> TopicTail.isMarker(r) && r.topic().equals(change.topic())
                        && r.partition() == change.partition() && r.offset() > change.offset());
        assertTrue(WatermarkMarker.parse(marker.value()).lsn() >= changeLsn,
                "the next marker's LSN covers the change: " + WatermarkMarker.parse(marker.value()) + " vs "
                        + changeLsn);
    }

    @Test
    void markerLsnsNeverDecreaseWithinAPartition() {
        tail.awaitCount("several markers", TIMEOUT, 45, TopicTail::isMarker);
        Map<String, Long> last = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : tail.seen()) {
            if (TopicTail.isMarker(r)) {
                long lsn = WatermarkMarker.parse(r.value()).lsn();
                Long previous = last.put(r.topic() + "/" + r.partition(), lsn);
                assertTrue(previous == null || previous <= lsn, r.topic() + "/" + r.partition() + ": " + previous
                        + " then " + lsn);
            }
        }
    }

    private static boolean isFirst(ConsumerRecord<byte[], byte[]> r) {
        return tail.seen().stream().filter(TopicTail::isMarker)
                .filter(x -> x.topic().equals(r.topic()) && x.partition() == r.partition())
                .findFirst().map(x -> x.offset() == r.offset()).orElse(false);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
