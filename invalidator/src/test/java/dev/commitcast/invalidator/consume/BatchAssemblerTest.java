package dev.commitcast.invalidator.consume;

import static dev.commitcast.testsupport.Envelopes.change;
import static dev.commitcast.testsupport.Envelopes.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.invalidator.apply.OffsetRange;
import dev.commitcast.testsupport.Envelopes;
import dev.commitcast.core.CacheKey;
import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.core.Namespace;
import dev.commitcast.core.Watermark;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import dev.commitcast.invalidator.health.InvalidatorMetrics;
import dev.commitcast.testsupport.Repo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class BatchAssemblerTest {

    private static final String USERS = "cc.public.users";
    private static final String ROLES = "cc.public.roles";
    private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InvalidatorMetrics metrics = new InvalidatorMetrics(registry, java.time.Clock.systemUTC());
    private final BatchAssembler assembler = new BatchAssembler(Repo.demoRules(), metrics);
    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

    @Test
    void unitesChangesSkipsTombstonesAndTracksOffsets() {
        add(USERS, 0, 10, change("users", "d", row("id", 9, "org_id", 1), null, 100, T0));
        add(USERS, 0, 11, null); // tombstone after the delete
        add(ROLES, 2, 5, change("roles", "c", null, row("id", 7, "org_id", 3), 101, T0.plusSeconds(1)));
        add(USERS, 0, 12, change("users", "c", null, row("id", 10, "org_id", 1), 102, T0.plusSeconds(2)));

        Batch batch = assembler.assemble(records);

        assertEquals(Set.of(DemoKeys.user(1, 9), DemoKeys.userList(1), DemoKeys.user(1, 10), DemoKeys.roles(3),
                DemoKeys.rolePermissions(3, 7)), batch.invalidation.keys());
        assertTrue(batch.invalidation.namespaces().isEmpty());
        assertEquals(Map.of(tp(USERS, 0), new OffsetRange(10, 12), tp(ROLES, 2), new OffsetRange(5, 5)),
                batch.offsets);
        assertEquals(Map.of(tp(USERS, 0), new OffsetAndMetadata(13), tp(ROLES, 2), new OffsetAndMetadata(6)),
                batch.nextOffsets());
        assertEquals(4, batch.records);
        assertEquals(3, batch.changes);
        assertEquals(1, batch.tombstones);
        assertTrue(batch.pendingDeadLetters.isEmpty());
        assertEquals(T0.plusSeconds(2), batch.newestCommit.get(tp(USERS, 0)));
    }

    @Test
    void malformedChangesOverInvalidateTheirTableAndBecomeDeadLetters() {
        add(USERS, 0, 1, change("users", "u", null, row("id", 9), 100, T0)); // org_id missing
        add(USERS, 0, 2, "{not json");
        add(ROLES, 0, 3, change("audit_log", "c", null, row("id", 1), 101, T0)); // unknown table
        add(ROLES, 0, 4, change("roles", "c", null, row("id", 7, "org_id", 3), 102, T0));

        Batch batch = assembler.assemble(records);

        assertEquals(Set.of(DemoKeys.kinds("user", "user_list"), DemoKeys.everything()),
                batch.invalidation.namespaces());
        assertTrue(batch.invalidation.keys().contains(DemoKeys.roles(3)), "later records still apply");
        assertEquals(List.of(1L, 2L, 3L), batch.pendingDeadLetters.stream().map(d -> d.record().offset()).toList());
        assertTrue(batch.pendingDeadLetters.get(0).error().contains("org_id"),
                batch.pendingDeadLetters.get(0).error());
        assertTrue(batch.pendingDeadLetters.get(1).error().contains("not JSON"));
        assertTrue(batch.pendingDeadLetters.get(2).error().contains("no rules for this table"),
                batch.pendingDeadLetters.get(2).error());
        assertEquals(1, batch.changes);
    }

    @Test
    void keepsTheNewestMarkerPerPartition() {
        add(USERS, 0, 1, change("users", "c", null, row("id", 9, "org_id", 1), 100, T0));
        String rules = Repo.demoRules().fingerprint();
        marker(USERS, 0, 2, Envelopes.marker(150, T0.plusSeconds(5), rules));
        marker(USERS, 0, 3, Envelopes.marker(200, T0.plusSeconds(9), null)); // a marker job beside Kafka Connect
        marker(USERS, 1, 7, Envelopes.marker(180, T0.plusSeconds(7), rules));
        marker(USERS, 1, 8, "{\"lsn\":\"garbage\"}");

        Batch batch = assembler.assemble(records);

        assertEquals(Map.of(tp(USERS, 0), new Watermark(200, T0.plusSeconds(9)),
                tp(USERS, 1), new Watermark(180, T0.plusSeconds(7))), batch.markers);
        assertEquals(4, batch.markerRecords);
        assertEquals(1, batch.pendingDeadLetters.size(), "a bad marker is dead-lettered");
        assertTrue(batch.invalidation.namespaces().isEmpty(), "a bad marker invalidates nothing");
        assertEquals(T0.plusSeconds(9), batch.newestCommit.get(tp(USERS, 0)));
    }

    /**
     * A marker the connector wrote under other rules does not move the watermark: it may capture other tables than
     * these rules expect, so this invalidator cannot vouch for the position. It is counted and shown on /health.
     */
    @Test
    void aMarkerWrittenUnderOtherRulesDoesNotCount() {
        marker(USERS, 0, 1, Envelopes.marker(150, T0, "0123456789abcdef"));
        Batch batch = assembler.assemble(records);
        assertEquals(Map.of(), batch.markers);
        assertEquals("0123456789abcdef", metrics.foreignRules());
        assertEquals(1.0, registry.get("commitcast.invalidator.markers.foreign.rules").counter().count());

        records.clear();
        marker(USERS, 0, 2, Envelopes.marker(160, T0, Repo.demoRules().fingerprint()));
        assertEquals(Map.of(tp(USERS, 0), new Watermark(160, T0)), assembler.assemble(records).markers);
        assertEquals(null, metrics.foreignRules(), "they agree again");
    }

    private void add(String topic, int partition, long offset, String value) {
        records.add(record(topic, partition, offset, value, new RecordHeaders()));
    }

    private void marker(String topic, int partition, long offset, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("commitcast-marker", "watermark".getBytes(StandardCharsets.UTF_8));
        records.add(record(topic, partition, offset, value, headers));
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, String value,
                                                         RecordHeaders headers) {
        return new ConsumerRecord<>(topic, partition, offset, T0.toEpochMilli(), TimestampType.CREATE_TIME, 0,
                value == null ? 0 : value.length(), "{}".getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8), headers, Optional.empty());
    }

    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }
}
