package dev.commitcast.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.cdc.testsupport.CdcTestDatabase;
import dev.commitcast.cdc.testsupport.TopicTail;
import dev.commitcast.cdc.testsupport.Wait;
import dev.commitcast.devstack.ServerControl;
import dev.commitcast.devstack.ServerKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * When Kafka does not acknowledge a batch, its offsets are not committed: the engine stops, restarts with back-off
 * (counted, unhealthy meanwhile) and, once the broker is back, the change arrives: nothing is lost.
 *
 * <p>Whole rows ({@code publish-columns = all}): the changes are told apart by their display_name, a column no
 * rule reads.
 */
class KafkaOutageIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static String threadDump() {
        StringBuilder b = new StringBuilder();
        for (java.lang.management.ThreadInfo t : java.lang.management.ManagementFactory.getThreadMXBean()
                .dumpAllThreads(false, false, 40)) {
            if (t.getThreadName().contains("cdc") || t.getThreadName().startsWith("pool")
                    || t.getThreadName().contains("debezium") || t.getThreadName().contains("producer")) {
                b.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState()).append('\n');
                for (StackTraceElement e : t.getStackTrace()) {
                    b.append("    at ").append(e).append('\n');
                }
            }
        }
        return b.toString();
    }

    @Test
    void aChangeCommittedWhileKafkaIsDownArrivesAfterItComesBack() throws Exception {
        try (CdcTestDatabase db = CdcTestDatabase.migrated("outage")) {
            ServerControl kafka = db.stack().server(ServerKind.KAFKA);
            Assumptions.assumeTrue(kafka.controllable(), "needs a dev-stack Kafka this JVM can stop");
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            CdcSettings settings = db.settings().publishColumns(CdcSettings.PublishColumns.ALL).deliveryTimeout(Duration.ofSeconds(2)).build();
            try (CdcConnector connector = CdcConnector.create(settings, registry, Clock.systemUTC())) {
                connector.start();
                assertTrue(connector.awaitStreaming(TIMEOUT));
                try (TopicTail tail = new TopicTail(db.bootstrap(), List.of(db.topic("users")))) {
                    db.execute("update users set display_name = 'before-outage' where id = 1");
                    tail.await("change before the outage", TIMEOUT, r -> !TopicTail.isControl(r)
                            && TopicTail.text(r.value()).contains("before-outage"));
                }

                kafka.stop();
                try {
                    db.execute("update users set display_name = 'during-outage' where id = 1");
                    Wait.until(() -> "engine restart after the unacknowledged batch; status "
                            + connector.status() + "\n" + threadDump(), TIMEOUT,
                            () -> connector.status().engineRestarts() >= 1);
                    assertFalse(connector.status().healthy());
                    assertTrue(registry.find("commitcast.cdc.errors").tag("kind", "publish").counter().count() >= 1);
                } finally {
                    kafka.start();
                }

                try (TopicTail tail = new TopicTail(db.bootstrap(), List.of(db.topic("users")))) {
                    tail.await("the change committed during the outage", TIMEOUT, r -> !TopicTail.isControl(r)
                            && TopicTail.text(r.value()).contains("\"after\":{\"id\":1")
                            && TopicTail.text(r.value()).contains("during-outage"));
                }
                Wait.until(() -> "healthy again; status " + connector.status(), TIMEOUT,
                        () -> connector.status().healthy());
                assertEquals(CdcStatus.State.STREAMING, connector.status().state());
            }
        }
    }
}
