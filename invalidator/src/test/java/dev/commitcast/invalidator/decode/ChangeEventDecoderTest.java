package dev.commitcast.invalidator.decode;

import static dev.commitcast.invalidator.support.Envelopes.change;
import static dev.commitcast.invalidator.support.Envelopes.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.keys.CacheKey;
import dev.commitcast.keys.Invalidation;
import dev.commitcast.keys.InvalidationRules;
import dev.commitcast.keys.KeyKind;
import dev.commitcast.keys.Namespace;
import dev.commitcast.keys.Operation;
import dev.commitcast.keys.RowChange;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Debezium envelope -> RowChange -> dependent keys, one case per table and op. */
class ChangeEventDecoderTest {

    private static final Instant COMMIT = Instant.parse("2026-11-23T01:02:03.456789Z");
    private final ChangeEventDecoder decoder = new ChangeEventDecoder();
    private final InvalidationRules rules = new InvalidationRules();

    static Stream<Arguments> changes() {
        var org1 = row("id", 1, "slug", "acme", "name", "Acme", "plan", "team");
        var settings = row("org_id", 1, "timezone", "UTC", "sso_enabled", true, "session_ttl_minutes", 720);
        var role = row("id", 7, "org_id", 1, "name", "admin", "is_system", false);
        var perm = row("org_id", 1, "role_id", 7, "permission", "users.read");
        var user = row("id", 9, "org_id", 1, "email", "a@acme.io", "display_name", "A", "role_id", null);
        var movedUser = row("id", 9, "org_id", 2, "email", "a@acme.io", "display_name", "A", "role_id", null);
        var orgKeys = keys(CacheKey.settings(1), CacheKey.roles(1), CacheKey.userList(1));
        var roleKeys = keys(CacheKey.roles(1), CacheKey.rolePermissions(1, 7));
        var userKeys = keys(CacheKey.user(1, 9), CacheKey.userList(1));
        return Stream.of(
                Arguments.of("orgs insert", change("orgs", "c", null, org1, 10, COMMIT), orgKeys),
                Arguments.of("orgs update", change("orgs", "u", org1, org1, 11, COMMIT), orgKeys),
                Arguments.of("orgs snapshot read", change("orgs", "r", null, org1, 12, COMMIT), orgKeys),
                Arguments.of("orgs delete", change("orgs", "d", org1, null, 13, COMMIT), Invalidation.of(Namespace.org(1))),
                Arguments.of("orgs truncate", change("orgs", "t", null, null, 14, COMMIT), Invalidation.of(Namespace.all())),
                Arguments.of("org_settings insert", change("org_settings", "c", null, settings, 20, COMMIT),
                        keys(CacheKey.settings(1))),
                Arguments.of("org_settings update", change("org_settings", "u", settings, settings, 21, COMMIT),
                        keys(CacheKey.settings(1))),
                Arguments.of("org_settings delete", change("org_settings", "d", settings, null, 22, COMMIT),
                        keys(CacheKey.settings(1))),
                Arguments.of("org_settings truncate", change("org_settings", "t", null, null, 23, COMMIT),
                        Invalidation.of(Namespace.kinds(KeyKind.SETTINGS))),
                Arguments.of("roles insert", change("roles", "c", null, role, 30, COMMIT), roleKeys),
                Arguments.of("roles update", change("roles", "u", role, role, 31, COMMIT), roleKeys),
                Arguments.of("roles delete", change("roles", "d", role, null, 32, COMMIT), roleKeys),
                Arguments.of("roles truncate", change("roles", "t", null, null, 33, COMMIT),
                        Invalidation.of(Namespace.kinds(KeyKind.ROLES, KeyKind.ROLE_PERMISSIONS))),
                Arguments.of("role_permissions insert", change("role_permissions", "c", null, perm, 40, COMMIT),
                        keys(CacheKey.rolePermissions(1, 7))),
                Arguments.of("role_permissions delete", change("role_permissions", "d", perm, null, 41, COMMIT),
                        keys(CacheKey.rolePermissions(1, 7))),
                Arguments.of("role_permissions truncate", change("role_permissions", "t", null, null, 42, COMMIT),
                        Invalidation.of(Namespace.kinds(KeyKind.ROLE_PERMISSIONS))),
                Arguments.of("users insert", change("users", "c", null, user, 50, COMMIT), userKeys),
                Arguments.of("users update", change("users", "u", user, user, 51, COMMIT), userKeys),
                Arguments.of("users delete", change("users", "d", user, null, 52, COMMIT), userKeys),
                Arguments.of("users truncate", change("users", "t", null, null, 53, COMMIT),
                        Invalidation.of(Namespace.kinds(KeyKind.USER, KeyKind.USER_LIST))),
                Arguments.of("user moved between orgs busts both orgs",
                        change("users", "u", user, movedUser, 54, COMMIT),
                        keys(CacheKey.user(1, 9), CacheKey.userList(1), CacheKey.user(2, 9), CacheKey.userList(2))),
                Arguments.of("ints as strings", change("users", "u", row("id", "9", "org_id", "1"),
                        row("id", "9", "org_id", "1"), 55, COMMIT), userKeys),
                Arguments.of("schema + payload envelope",
                        "{\"schema\":{\"type\":\"struct\"},\"payload\":" + change("users", "c", null, user, 56, COMMIT)
                                + "}", userKeys));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void decodesAndMapsToTheDependentKeys(String name, String json, Invalidation expected) {
        RowChange change = decoder.decode(bytes(json), 0);
        Invalidation actual = rules.forChange(change);
        assertEquals(expected.keys(), actual.keys(), name);
        assertEquals(expected.namespaces(), actual.namespaces(), name);
    }

    @Test
    void readsTableOpImagesAndSourcePosition() {
        RowChange change = decoder.decode(bytes(change("users", "u", row("id", 9, "org_id", 1),
                row("id", 9, "org_id", 2), 123_456_789_012L, COMMIT)), 0);
        assertEquals("users", change.table());
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
                 "source":{"table":"users","lsn":"4242","txId":"77","ts_ms":"1700000000123"}}""";
        RowChange change = decoder.decode(bytes(json), 5);
        assertEquals(4242, change.source().lsn());
        assertEquals(77, change.source().txId());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), change.source().commitTime());
        assertEquals(Set.of(CacheKey.user(3, 9), CacheKey.userList(3)), rules.forChange(change).keys());

        String noSourceTime = """
                {"after":{"id":9,"org_id":3},"op":"c","source":{"table":"users"}}""";
        assertEquals(Instant.ofEpochMilli(5), decoder.decode(bytes(noSourceTime), 5).source().commitTime(),
                "the record timestamp is the last resort");
    }

    static Stream<Arguments> undecodable() {
        return Stream.of(
                Arguments.of("not JSON", "{\"op\":\"c\",", null, "not JSON"),
                Arguments.of("a JSON array", "[1,2]", null, "expected an object"),
                Arguments.of("no source.table", "{\"op\":\"c\",\"after\":{\"id\":1},\"source\":{}}", null,
                        "source.table"),
                Arguments.of("unknown op", "{\"op\":\"x\",\"after\":{\"id\":1},\"source\":{\"table\":\"users\"}}",
                        "users", "unknown Debezium op code"),
                Arguments.of("no op", "{\"after\":{\"id\":1},\"source\":{\"table\":\"roles\"}}", "roles", "no op"),
                Arguments.of("image not an object",
                        "{\"op\":\"c\",\"after\":[1],\"source\":{\"table\":\"users\"}}", "users", "after"),
                Arguments.of("lsn not a number",
                        "{\"op\":\"c\",\"after\":{\"id\":1},\"source\":{\"table\":\"users\",\"lsn\":\"abc\"}}",
                        "users", "lsn"));
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

    private static Invalidation keys(CacheKey... keys) {
        return Invalidation.of(keys);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
