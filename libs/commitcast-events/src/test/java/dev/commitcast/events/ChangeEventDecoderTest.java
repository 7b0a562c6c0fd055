package dev.commitcast.events;

import dev.commitcast.core.Invalidation;
import dev.commitcast.core.Operation;
import dev.commitcast.core.RowChange;
import dev.commitcast.core.Rules;
import dev.commitcast.testsupport.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static dev.commitcast.testsupport.Envelopes.change;
import static dev.commitcast.testsupport.Envelopes.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Debezium envelope -> RowChange -> dependent keys under the demo's rules, one case per table and op. */
class ChangeEventDecoderTest {

    private static final Instant COMMIT = Instant.parse("2026-11-23T01:02:03.456789Z");
    private final ChangeEventDecoder decoder = new ChangeEventDecoder();
    private final Rules rules = Repo.demoRules();

    static Stream<Arguments> changes() {
        var org1 = row("id", 1, "slug", "acme", "name", "Acme", "plan", "team");
        var settings = row("org_id", 1, "timezone", "UTC", "sso_enabled", true, "session_ttl_minutes", 720);
        var role = row("id", 7, "org_id", 1, "name", "admin", "is_system", false);
        var perm = row("org_id", 1, "role_id", 7, "permission", "users.read");
        var user = row("id", 9, "org_id", 1, "email", "a@acme.io", "display_name", "A", "role_id", null);
        var movedUser = row("id", 9, "org_id", 2, "email", "a@acme.io", "display_name", "A", "role_id", null);
        List<String> orgKeys = List.of("org:{1}:settings", "org:{1}:roles", "org:{1}:users:first");
        List<String> roleKeys = List.of("org:{1}:roles", "org:{1}:role:7:perms");
        List<String> userKeys = List.of("org:{1}:user:9", "org:{1}:users:first");
        return Stream.of(
                Arguments.of("orgs insert", change("orgs", "c", null, org1, 10, COMMIT), orgKeys, List.of()),
                Arguments.of("orgs update", change("orgs", "u", org1, org1, 11, COMMIT), orgKeys, List.of()),
                Arguments.of("orgs snapshot read", change("orgs", "r", null, org1, 12, COMMIT), orgKeys, List.of()),
                Arguments.of("orgs delete", change("orgs", "d", org1, null, 13, COMMIT), List.of(), List.of("tag=1")),
                Arguments.of("orgs truncate", change("orgs", "t", null, null, 14, COMMIT), List.of(), List.of("*")),
                Arguments.of("org_settings insert", change("org_settings", "c", null, settings, 20, COMMIT),
                        List.of("org:{1}:settings"), List.of()),
                Arguments.of("org_settings truncate", change("org_settings", "t", null, null, 23, COMMIT),
                        List.of(), List.of("kinds=settings")),
                Arguments.of("roles insert", change("roles", "c", null, role, 30, COMMIT), roleKeys, List.of()),
                Arguments.of("roles delete", change("roles", "d", role, null, 32, COMMIT), roleKeys, List.of()),
                Arguments.of("role_permissions insert", change("role_permissions", "c", null, perm, 40, COMMIT),
                        List.of("org:{1}:role:7:perms"), List.of()),
                Arguments.of("users insert", change("users", "c", null, user, 50, COMMIT), userKeys, List.of()),
                Arguments.of("users delete", change("users", "d", user, null, 52, COMMIT), userKeys, List.of()),
                Arguments.of("users truncate", change("users", "t", null, null, 53, COMMIT), List.of(),
                        List.of("kinds=user,user_list")),
                Arguments.of("user moved between orgs busts both orgs",
                        change("users", "u", user, movedUser, 54, COMMIT),
                        List.of("org:{1}:user:9", "org:{1}:users:first", "org:{2}:user:9", "org:{2}:users:first"),
                        List.of()),
                Arguments.of("ints as strings", change("users", "u", row("id", "9", "org_id", "1"),
                        row("id", "9", "org_id", "1"), 55, COMMIT), userKeys, List.of()),
                Arguments.of("schema + payload envelope",
                        "{\"schema\":{\"type\":\"struct\"},\"payload\":" + change("users", "c", null, user, 56, COMMIT)
                                + "}", userKeys, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void decodesAndMapsToTheDependentKeys(String name, String json, List<String> keys, List<String> namespaces) {
        Invalidation actual = rules.evaluate(decoder.decode(bytes(json), 0));
        Set<String> actualKeys = new TreeSet<>();
        actual.keys().forEach(k -> actualKeys.add(k.path()));
        Set<String> actualNamespaces = new TreeSet<>();
        actual.namespaces().forEach(n -> actualNamespaces.add(n.wire()));
        assertEquals(new TreeSet<>(keys), actualKeys, name);
        assertEquals(new TreeSet<>(namespaces), actualNamespaces, name);
    }

    @Test
    void readsSchemaTableOpImagesAndSourcePosition() {
        RowChange change = decoder.decode(bytes(change("catalog.products", "u", row("id", 9, "org_id", 1),
                row("id", 9, "org_id", 2), 123_456_789_012L, COMMIT)), 0);
        assertEquals("catalog", change.schema());
        assertEquals("products", change.table());
        assertEquals("catalog.products", change.qualifiedTable());
        assertEquals(Operation.UPDATE, change.op());
        assertEquals(1, change.before().get("org_id"));
        assertEquals(2, change.after().get("org_id"));
        assertEquals(123_456_789_012L, change.source().lsn());
        assertEquals(COMMIT, change.source().commitTime(), "ts_us keeps microseconds");
    }

    @Test
    void numbersAsStringsAndCommitTimeFallbacks() {
        String json = """
                {"before":null,"after":{"id":"9","org_id":"3"},"op":"c","ts_ms":"1700000000999",
                 "source":{"schema":"public","table":"users","lsn":"4242","txId":"77","ts_ms":"1700000000123"}}""";
        RowChange change = decoder.decode(bytes(json), 5);
        assertEquals(4242, change.source().lsn());
        assertEquals(77, change.source().txId());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), change.source().commitTime());
        assertEquals(2, rules.evaluate(change).keys().size());

        String noSourceTime = """
                {"after":{"id":9,"org_id":3},"op":"c","source":{"schema":"public","table":"users"}}""";
        assertEquals(Instant.ofEpochMilli(5), decoder.decode(bytes(noSourceTime), 5).source().commitTime(),
                "the record timestamp is the last resort");
    }

    static Stream<Arguments> undecodable() {
        return Stream.of(
                Arguments.of("not JSON", "{\"op\":\"c\",", null, "not JSON"),
                Arguments.of("a JSON array", "[1,2]", null, "expected an object"),
                Arguments.of("no source.table", "{\"op\":\"c\",\"after\":{\"id\":1},\"source\":{}}", null,
                        "source.table"),
                Arguments.of("no source.schema", "{\"op\":\"c\",\"after\":{\"id\":1},\"source\":{\"table\":\"users\"}}",
                        null, "has no source.schema"),
                Arguments.of("unknown op", "{\"op\":\"x\",\"after\":{\"id\":1},\"source\":{\"schema\":\"public\","
                        + "\"table\":\"users\"}}", "public.users", "unknown Debezium op code"),
                Arguments.of("no op", "{\"after\":{\"id\":1},\"source\":{\"schema\":\"public\",\"table\":\"roles\"}}",
                        "public.roles", "no op"),
                Arguments.of("image not an object", "{\"op\":\"c\",\"after\":[1],\"source\":{\"schema\":\"public\","
                        + "\"table\":\"users\"}}", "public.users", "after"),
                Arguments.of("lsn not a number", "{\"op\":\"c\",\"after\":{\"id\":1},\"source\":{\"schema\":\"public\","
                        + "\"table\":\"users\",\"lsn\":\"abc\"}}", "public.users", "lsn"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("undecodable")
    void rejectsWhatIsNotAChangeEventNamingTheTableWhenKnown(String name, String json, String table, String message) {
        ChangeDecodeException e = assertThrows(ChangeDecodeException.class, () -> decoder.decode(bytes(json), 0));
        assertEquals(table, e.table(), name);
        assertTrue(e.getMessage().contains(message), name + ": " + e.getMessage());
    }

    @Test
    void truncateHasNoImages() {
        RowChange change = decoder.decode(bytes(change("roles", "t", null, null, 1, COMMIT)), 0);
        assertEquals(Operation.TRUNCATE, change.op());
        assertNull(change.before());
        assertNull(change.after());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
