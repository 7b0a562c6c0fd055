package dev.commitcast.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.cdc.testsupport.CdcTestDatabase;
import dev.commitcast.cdc.testsupport.TopicTail;
import dev.commitcast.cdc.testsupport.Wait;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A restarted connector resumes from its stored offset: changes committed while it was down (kept by the slot) arrive
 * after the restart, none is lost; duplicates would be allowed.
 */
class RestartResumeIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int CHANGES_WHILE_STOPPED = 20;

    @ParameterizedTest
    @EnumSource(CdcSettings.OffsetStore.class)
    void changesMadeWhileStoppedArriveAfterRestart(CdcSettings.OffsetStore store) throws Exception {
        try (CdcTestDatabase db = CdcTestDatabase.migrated("restart_" + store.name().toLowerCase())) {
            // whole rows: the changes are told apart by their display_name, a column no rule reads
            CdcSettings settings = db.settings().offsetStore(store).publishColumns(CdcSettings.PublishColumns.ALL)
                    .build();
            String usersTopic = db.topic("users");

            try (CdcConnector first = start(settings); TopicTail tail = new TopicTail(db.bootstrap(), List.of(usersTopic))) {
                db.execute("update users set display_name = 'before-stop' where id = 1");
                tail.await("the change before the stop", TIMEOUT, r -> value(r).contains("\"display_name\":\"before-stop\""));
                // The consumer can see the record before the publisher has finished bookkeeping its ack.
                Wait.until("acknowledged position recorded", TIMEOUT, () -> first.status().ackedLsn() > 0);
            }
            if (store == CdcSettings.OffsetStore.FILE) {
                assertTrue(Files.size(settings.offsetFile()) > 0, "offsets stored in " + settings.offsetFile());
            }

            for (int i = 0; i < CHANGES_WHILE_STOPPED; i++) {
                db.execute("update users set display_name = 'while-stopped-" + i + "' where id = " + (1 + i % 10));
            }

            try (CdcConnector second = start(settings); TopicTail tail = new TopicTail(db.bootstrap(), List.of(usersTopic))) {
                tail.awaitCount("every change made while stopped", TIMEOUT, CHANGES_WHILE_STOPPED,
                        r -> isWhileStopped(r) && isFirstOf(tail.seen(), r));
                assertEquals(CHANGES_WHILE_STOPPED, distinctWhileStopped(tail.seen()).size());
                db.execute("update users set display_name = 'after-restart' where id = 2");
                tail.await("a change after the restart", TIMEOUT, r -> value(r).contains("after-restart"));
                assertEquals(CdcStatus.State.STREAMING, second.status().state());
            }
        }
    }

    private static CdcConnector start(CdcSettings settings) throws InterruptedException {
        CdcConnector connector = CdcConnector.create(settings, new SimpleMeterRegistry(), Clock.systemUTC());
        connector.start();
        assertTrue(connector.awaitStreaming(TIMEOUT), "streaming");
        return connector;
    }

    private static String value(ConsumerRecord<byte[], byte[]> r) {
        return TopicTail.isControl(r) ? "" : TopicTail.text(r.value());
    }

    private static boolean isWhileStopped(ConsumerRecord<byte[], byte[]> r) {
        return !value(r).isEmpty() && name(r).startsWith("while-stopped-");
    }

    /** The display name in the after image. */
    private static String name(ConsumerRecord<byte[], byte[]> r) {
        return ChangeStreamIT.json(r.value()).path("after").path("display_name").asText();
    }

    private static Set<String> distinctWhileStopped(List<ConsumerRecord<byte[], byte[]>> seen) {
        Set<String> names = new TreeSet<>();
        for (ConsumerRecord<byte[], byte[]> r : seen) {
            if (isWhileStopped(r)) {
                names.add(name(r));
            }
        }
        return names;
    }

    /** Counts each distinct change once: duplicates are allowed, so they must not satisfy the count. */
    private static boolean isFirstOf(List<ConsumerRecord<byte[], byte[]>> seen, ConsumerRecord<byte[], byte[]> r) {
        for (ConsumerRecord<byte[], byte[]> s : seen) {
            if (isWhileStopped(s) && name(s).equals(name(r))) {
                return s == r;
            }
        }
        return true;
    }
}
