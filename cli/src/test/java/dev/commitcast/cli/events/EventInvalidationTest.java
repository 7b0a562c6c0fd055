package dev.commitcast.cli.events;

import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.testsupport.Repo;
import dev.commitcast.events.RecordDecision;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.Invalidation;
import dev.commitcast.core.KeyKind;
import dev.commitcast.core.Namespace;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static dev.commitcast.cli.events.Events.change;
import static dev.commitcast.cli.events.Events.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replay decides like the invalidator's BatchAssembler: same decoder, same rules, same fallbacks. */
class EventInvalidationTest {
    private static final String TOPIC = "commitcast.public.users";
    private final EventInvalidation decisions = new EventInvalidation(Repo.demoRules());

    @Test
    void aUserMovedBetweenOrganisationsBustsBoth() {
        String moved = change("users", "u", row("id", 9, "org_id", 7), row("id", 9, "org_id", 8), 100, Instant.now());
        RecordDecision.Outcome outcome = decisions.decide(Events.record(TOPIC, 1, "{\"id\":9}", moved));
        assertEquals(RecordDecision.Kind.CHANGE, outcome.kind());
        assertEquals(Set.of(DemoKeys.user(7, 9), DemoKeys.userList(7), DemoKeys.user(8, 9), DemoKeys.userList(8)),
                outcome.invalidation().keys());
    }

    @Test
    void markersAndTombstonesChangeNothing() {
        assertEquals(RecordDecision.Kind.MARKER, decisions.decide(Events.markerRecord(TOPIC, 1)).kind());
        RecordDecision.Outcome tombstone = decisions.decide(Events.record(TOPIC, 2, "{\"id\":9}", null));
        assertEquals(RecordDecision.Kind.TOMBSTONE, tombstone.kind());
        assertTrue(tombstone.invalidation().isEmpty());
    }

    @Test
    void undecodableEventsOverInvalidateTheirTable() {
        RecordDecision.Outcome notJson = decisions.decide(Events.record(TOPIC, 3, null, "{oops"));
        assertEquals(RecordDecision.Kind.UNDECODABLE, notJson.kind());
        assertEquals(Invalidation.of(DemoKeys.everything()), notJson.invalidation(), "table unknown: everything");

        String noOrg = change("users", "c", null, row("id", 9), 101, Instant.now());
        RecordDecision.Outcome unmappable = decisions.decide(Events.record(TOPIC, 4, null, noOrg));
        assertEquals(RecordDecision.Kind.UNDECODABLE, unmappable.kind());
        assertEquals(Invalidation.of(DemoKeys.kinds("user", "user_list")), unmappable.invalidation());
        assertTrue(unmappable.error().getMessage().contains("org_id"), unmappable.error().getMessage());
    }
}
