package dev.commitcast.invalidator;

import static dev.commitcast.testsupport.Envelopes.change;
import static dev.commitcast.testsupport.Envelopes.key;
import static dev.commitcast.testsupport.Envelopes.row;
import static dev.commitcast.invalidator.support.Fixture.WAIT;
import static dev.commitcast.invalidator.support.Fixture.header;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.invalidator.apply.ApplyHooks;
import dev.commitcast.invalidator.dlq.DeadLetterPublisher;
import dev.commitcast.invalidator.support.Broadcasts;
import dev.commitcast.invalidator.support.Fixture;
import dev.commitcast.core.CacheKey;
import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.core.Namespace;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** A record that cannot be decoded or mapped is dead-lettered, its table over-invalidated, and processing goes on. */
class DeadLetterIT {

    @Test
    void malformedChangeIsDeadLetteredAndItsTableOverInvalidated() throws Exception {
        try (Fixture fx = new Fixture("dlq-malformed")) {
            fx.createTopics(1, "users", "org_settings");
            fx.seed(DemoKeys.user(1, 9), DemoKeys.user(2, 5), DemoKeys.userList(3), DemoKeys.settings(1),
                    DemoKeys.settings(3), DemoKeys.roles(1));
            String malformed = change("users", "u", row("id", 9), row("id", 9), 100); // org_id missing
            fx.send("users", 0, key("id", 9), malformed);
            fx.send("org_settings", 0, key("org_id", 1), change("org_settings", "u", row("org_id", 1),
                    row("org_id", 1), 101));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            fx.start(ApplyHooks.NONE, registry);

            await().atMost(WAIT).until(() -> fx.committed("users", 0) == 1 && fx.committed("org_settings", 0) == 1);

            List<ConsumerRecord<String, String>> dlq = fx.readDlq(1);
            assertEquals(1, dlq.size());
            ConsumerRecord<String, String> letter = dlq.getFirst();
            assertEquals(key("id", 9), letter.key());
            assertEquals(malformed, letter.value());
            assertEquals(fx.topic("users"), header(letter, DeadLetterPublisher.ORIGINAL_TOPIC));
            assertEquals("0", header(letter, DeadLetterPublisher.ORIGINAL_PARTITION));
            assertEquals("0", header(letter, DeadLetterPublisher.ORIGINAL_OFFSET));
            assertTrue(header(letter, DeadLetterPublisher.ERROR).contains("org_id"),
                    header(letter, DeadLetterPublisher.ERROR));
            assertEquals("MalformedChangeException", header(letter, DeadLetterPublisher.ERROR_CLASS));

            // users' kinds across all organisations are gone; the valid settings change applied; the rest stays.
            assertFalse(fx.cached(DemoKeys.user(1, 9)));
            assertFalse(fx.cached(DemoKeys.user(2, 5)));
            assertFalse(fx.cached(DemoKeys.userList(3)));
            assertFalse(fx.cached(DemoKeys.settings(1)));
            assertTrue(fx.cached(DemoKeys.settings(3)));
            assertTrue(fx.cached(DemoKeys.roles(1)));
            assertEquals(1.0, registry.get("commitcast.invalidator.dlq.records").counter().count());
        }
    }

    @Test
    void badJsonAndUnknownTableFlushEverythingAndTheNextRecordStillApplies() throws Exception {
        try (Fixture fx = new Fixture("dlq-flush")) {
            fx.createTopics(1, "users", "audit_log");
            fx.seed(DemoKeys.settings(1), DemoKeys.roles(2), DemoKeys.user(3, 3));
            Broadcasts broadcasts = fx.subscribe();
            fx.send("users", 0, key("id", 1), "{\"op\":\"u\",\"after\":");
            fx.send("users", 0, key("id", 9), change("users", "c", null, row("id", 9, "org_id", 4), 101));
            fx.send("audit_log", 0, key("id", 1), change("audit_log", "c", null, row("id", 1), 102));
            fx.start(ApplyHooks.NONE, new SimpleMeterRegistry());

            await().atMost(WAIT).until(() -> fx.committed("users", 0) == 2 && fx.committed("audit_log", 0) == 1);

            List<ConsumerRecord<String, String>> dlq = fx.readDlq(2).stream()
                    .sorted(Comparator.comparing(r -> header(r, DeadLetterPublisher.ORIGINAL_TOPIC))).toList();
            assertEquals(2, dlq.size());
            assertEquals(fx.topic("audit_log"), header(dlq.get(0), DeadLetterPublisher.ORIGINAL_TOPIC));
            assertTrue(header(dlq.get(0), DeadLetterPublisher.ERROR).contains("no rules for this table"));
            assertEquals(fx.topic("users"), header(dlq.get(1), DeadLetterPublisher.ORIGINAL_TOPIC));
            assertTrue(header(dlq.get(1), DeadLetterPublisher.ERROR).contains("not JSON"));

            assertFalse(fx.cached(DemoKeys.settings(1)));
            assertFalse(fx.cached(DemoKeys.roles(2)));
            assertFalse(fx.cached(DemoKeys.user(3, 3)));
            await().atMost(WAIT).until(() -> broadcasts.all().stream()
                    .anyMatch(m -> m.namespaces().contains(DemoKeys.everything())));
            await().atMost(WAIT).until(() -> broadcasts.all().stream()
                    .anyMatch(m -> m.keys().contains(DemoKeys.user(4, 9))));
        }
    }
}
