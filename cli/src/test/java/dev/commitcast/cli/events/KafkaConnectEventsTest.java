package dev.commitcast.cli.events;

import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.events.RecordDecision;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.Invalidation;
import dev.commitcast.core.KeyKind;
import dev.commitcast.core.Namespace;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Teams that outgrow one process run Debezium's Postgres connector in Kafka Connect and scale invalidators as a
 * consumer group. This checks, with a recorded file of such events, that they are decided exactly like our own
 * connector's: same topic naming, the envelope with or without the JsonConverter schema, tombstones skipped,
 * truncates busting the table's namespace. (Kafka Connect has no watermark markers: see ADR-0004.)
 */
class KafkaConnectEventsTest {
    private final EventInvalidation decisions = new EventInvalidation(dev.commitcast.testsupport.Repo.demoRules());

    @Test
    void debeziumEventsFromKafkaConnectBustTheSameKeys() throws IOException {
        List<RecordDecision.Outcome> outcomes = new ArrayList<>();
        for (String line : lines("/kafka-connect/debezium-connect-events.jsonl")) {
            outcomes.add(decisions.decide(EventLines.parse(line)));
        }

        assertEquals(List.of(RecordDecision.Kind.CHANGE, RecordDecision.Kind.CHANGE,
                RecordDecision.Kind.CHANGE, RecordDecision.Kind.TOMBSTONE, RecordDecision.Kind.CHANGE),
                outcomes.stream().map(RecordDecision.Outcome::kind).toList());
        assertEquals(Set.of(DemoKeys.user(7, 9), DemoKeys.userList(7), DemoKeys.user(8, 9), DemoKeys.userList(8)),
                outcomes.get(0).invalidation().keys(), "schema + payload envelope, user moved between orgs");
        assertEquals(Invalidation.of(DemoKeys.rolePermissions(7, 3)), outcomes.get(1).invalidation(),
                "envelope without schema");
        assertEquals(Set.of(DemoKeys.user(7, 12), DemoKeys.userList(7)), outcomes.get(2).invalidation().keys());
        assertEquals(Invalidation.of(DemoKeys.kinds("settings")), outcomes.get(4).invalidation(),
                "a truncate busts the table's namespace");
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = KafkaConnectEventsTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }
}
