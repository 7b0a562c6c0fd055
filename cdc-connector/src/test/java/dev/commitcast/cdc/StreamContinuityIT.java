package dev.commitcast.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.cdc.continuity.ContinuityLostException;
import dev.commitcast.cdc.testsupport.CdcTestDatabase;
import dev.commitcast.cdc.testsupport.TopicTail;
import dev.commitcast.cdc.testsupport.Wait;
import dev.commitcast.events.ContinuityReset;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The connector starts streaming only from a position it can prove continuous; otherwise it writes a continuity
 * reset to every partition of every change topic (before any change streamed after it) and resumes by itself — or,
 * with {@code on-continuity-loss = fail}, stops with the reason. Each scenario is what an operator or an outage does.
 *
 * <p>Whole rows ({@code publish-columns = all}): the changes are told apart by their display_name, a column no
 * rule reads.
 */
class StreamContinuityIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(40);

    @ParameterizedTest
    @EnumSource(CdcSettings.OffsetStore.class)
    void aFirstStartResetsEveryPartitionBeforeAnyChangeAndACleanRestartDoesNot(CdcSettings.OffsetStore store)
            throws Exception {
        try (CdcTestDatabase db = CdcTestDatabase.migrated("cont_first_" + store.name().toLowerCase())) {
            CdcSettings settings = db.settings().publishColumns(CdcSettings.PublishColumns.ALL).offsetStore(store).build();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (CdcConnector connector = start(settings, registry);
                 TopicTail tail = new TopicTail(db.bootstrap(), db.allTopics())) {
                List<ContinuityReset> resets = awaitResets(tail, partitions(connector), ContinuityReset.NO_OFFSET);
                assertEquals(1, resets.stream().map(ContinuityReset::id).distinct().count(), "one reset, everywhere");
                assertEquals(ContinuityReset.NO_OFFSET, connector.status().lastReset().orElseThrow().reason());
                assertEquals(1.0, resetsCounted(registry, ContinuityReset.NO_OFFSET));

                db.execute("update users set display_name = 'after-reset' where id = 1");
                ConsumerRecord<byte[], byte[]> change = tail.await("the change", TIMEOUT,
                        r -> TopicTail.text(r.value()).contains("after-reset"));
                ConsumerRecord<byte[], byte[]> reset = tail.seen().stream().filter(TopicTail::isReset)
                        .filter(r -> r.topic().equals(change.topic()) && r.partition() == change.partition())
                        .findFirst().orElseThrow();
                assertTrue(reset.offset() < change.offset(), "the reset precedes the change in its partition");
                awaitStoredPosition(connector);
            }

            SimpleMeterRegistry again = new SimpleMeterRegistry();
            try (CdcConnector connector = start(settings, again);
                 TopicTail tail = new TopicTail(db.bootstrap(), db.allTopics())) {
                db.execute("update users set display_name = 'after-clean-restart' where id = 2");
                tail.await("the change after the restart", TIMEOUT,
                        r -> TopicTail.text(r.value()).contains("after-clean-restart"));
                assertEquals(1, distinctResets(tail.seen()).size(), "no second reset: " + distinctResets(tail.seen()));
                assertTrue(connector.status().lastReset().isEmpty());
                assertEquals(0.0, ContinuityReset.REASONS.stream().mapToDouble(r -> resetsCounted(again, r)).sum());
            }
        }
    }

    /**
     * The operator's scenario of issue 10: stop the connector, drop its slot, change rows, start it. Debezium alone
     * refused the stored position and the connector retried forever; now it resets and streams again.
     */
    @Test
    void aSlotDroppedWhileStoppedIsRecreatedAfterAResetAndChangesFlowAgain() throws Exception {
        try (CdcTestDatabase db = CdcTestDatabase.migrated("cont_slot")) {
            CdcSettings settings = db.settings().publishColumns(CdcSettings.PublishColumns.ALL).build();
            try (CdcConnector connector = start(settings, new SimpleMeterRegistry())) {
                db.execute("update users set display_name = 'before-drop' where id = 1");
                awaitStoredPosition(connector);
            }
            db.execute("select pg_drop_replication_slot('" + db.slot() + "')");
            db.execute("update users set display_name = 'lost-while-no-slot' where id = 3");

            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (CdcConnector connector = start(settings, registry);
                 TopicTail tail = new TopicTail(db.bootstrap(), db.allTopics())) {
                awaitResets(tail, partitions(connector), ContinuityReset.SLOT_MISSING);
                assertEquals(1.0, resetsCounted(registry, ContinuityReset.SLOT_MISSING));
                assertTrue(slotExists(db), "the slot was created again");
                db.execute("update users set display_name = 'after-new-slot' where id = 4");
                tail.await("a change through the new slot", TIMEOUT,
                        r -> TopicTail.text(r.value()).contains("after-new-slot"));
                assertEquals(0, connector.status().engineRestarts(), "no retry loop");
            }
        }
    }

    /** Offsets restored from an older copy: the slot already confirmed positions past them, changes were skipped. */
    @Test
    void offsetsOlderThanTheSlotsConfirmedPositionAreABreak() throws Exception {
        try (CdcTestDatabase db = CdcTestDatabase.migrated("cont_behind")) {
            CdcSettings settings = db.settings().publishColumns(CdcSettings.PublishColumns.ALL).build();
            Path backup = Files.createTempFile("offsets-backup", ".dat");
            try (CdcConnector connector = start(settings, new SimpleMeterRegistry())) {
                db.execute("update users set display_name = 'first' where id = 1");
                awaitStoredPosition(connector);
            }
            Files.copy(settings.offsetFile(), backup, StandardCopyOption.REPLACE_EXISTING);
            long backedUp = confirmedFlush(db);
            try (CdcConnector connector = start(settings, new SimpleMeterRegistry())) {
                db.execute("update users set display_name = 'second' where id = 2");
                Wait.until("the slot confirmed a later position", TIMEOUT, () -> confirmedFlush(db) > backedUp);
            }
            Files.copy(backup, settings.offsetFile(), StandardCopyOption.REPLACE_EXISTING);

            try (CdcConnector connector = start(settings, new SimpleMeterRegistry());
                 TopicTail tail = new TopicTail(db.bootstrap(), db.allTopics())) {
                awaitResets(tail, partitions(connector), ContinuityReset.BEHIND_SLOT);
            }
        }
    }

    @Test
    void withOnContinuityLossFailTheConnectorStopsAndSaysWhy() throws Exception {
        try (CdcTestDatabase db = CdcTestDatabase.migrated("cont_fail")) {
            CdcSettings settings = db.settings().publishColumns(CdcSettings.PublishColumns.ALL).onContinuityLoss(CdcSettings.OnContinuityLoss.FAIL).build();
            try (CdcConnector connector = CdcConnector.create(settings, new SimpleMeterRegistry(), Clock.systemUTC())) {
                connector.start();
                ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> connector.termination().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
                Throwable cause = e.getCause().getCause();
                assertTrue(cause instanceof ContinuityLostException, String.valueOf(cause));
                assertTrue(cause.getMessage().contains("(no-offset)") && cause.getMessage().contains(
                        "on-continuity-loss"), cause.getMessage());
                assertEquals(CdcStatus.State.FAILED, connector.status().state());
                assertFalse(connector.awaitStreaming(Duration.ZERO));
            }
        }
    }

    private static CdcConnector start(CdcSettings settings, SimpleMeterRegistry registry) throws InterruptedException {
        CdcConnector connector = CdcConnector.create(settings, registry, Clock.systemUTC());
        connector.start();
        assertTrue(connector.awaitStreaming(TIMEOUT), "streaming: " + connector.status());
        return connector;
    }

    private static int partitions(CdcConnector connector) {
        return connector.changeTopics().values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Waits for one reset of the reason in each of {@code partitions} partitions; returns them. */
    private static List<ContinuityReset> awaitResets(TopicTail tail, int partitions, String reason) {
        List<ConsumerRecord<byte[], byte[]>> records = tail.awaitCount("a " + reason + " reset in every partition",
                TIMEOUT, partitions, r -> TopicTail.isReset(r) && ContinuityReset.parse(r.value()).reason().equals(reason));
        Set<String> partitionsSeen = records.stream().map(r -> r.topic() + "/" + r.partition())
                .collect(Collectors.toSet());
        assertEquals(partitions, partitionsSeen.size(), "one per partition: " + partitionsSeen);
        return records.stream().map(r -> ContinuityReset.parse(r.value())).toList();
    }

    private static Set<String> distinctResets(List<ConsumerRecord<byte[], byte[]>> seen) {
        return seen.stream().filter(TopicTail::isReset).map(r -> ContinuityReset.parse(r.value()).id())
                .collect(Collectors.toSet());
    }

    /** The connector acknowledged a change and had a few offset flushes to store it. */
    private static void awaitStoredPosition(CdcConnector connector) throws InterruptedException {
        Wait.until("a change acknowledged", TIMEOUT, () -> connector.status().ackedLsn() > 0);
        Thread.sleep(connector.settings().offsetFlushInterval().toMillis() * 3 + 500);
    }

    private static double resetsCounted(SimpleMeterRegistry registry, String reason) {
        return registry.get("commitcast.cdc.continuity.resets").tag("reason", reason).counter().count();
    }

    private static boolean slotExists(CdcTestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select 1 from pg_replication_slots where slot_name = '" + db.slot() + "'")) {
            return rs.next();
        }
    }

    private static long confirmedFlush(CdcTestDatabase db) {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select (confirmed_flush_lsn - '0/0')::bigint from pg_replication_slots "
                     + "where slot_name = '" + db.slot() + "'")) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
