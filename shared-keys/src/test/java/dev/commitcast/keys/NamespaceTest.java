package dev.commitcast.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamespaceTest {

    private static final KeyCodec CODEC = new KeyCodec(KeySpace.DEFAULT);
    /** Org ids chosen so that one is a decimal prefix of another ({4} vs {42} vs {420}). */
    private static final long[] ORGS = {4, 42, 420};
    private static final long[] IDS = {1, 7, 9, 77};

    /** Every namespace: each non-empty kind subset, unrestricted and for two organisations. */
    static Stream<Namespace> everyNamespace() {
        List<Namespace> all = new ArrayList<>();
        KeyKind[] kinds = KeyKind.values();
        for (int mask = 1; mask < 1 << kinds.length; mask++) {
            List<KeyKind> subset = new ArrayList<>();
            for (int k = 0; k < kinds.length; k++) {
                if ((mask & 1 << k) != 0) {
                    subset.add(kinds[k]);
                }
            }
            KeyKind[] array = subset.toArray(KeyKind[]::new);
            all.add(Namespace.kinds(array));
            all.add(Namespace.orgKinds(4, array));
            all.add(Namespace.orgKinds(42, array));
        }
        return all.stream();
    }

    /** Every key the codec renders for {@link #ORGS} x {@link #IDS}. */
    private static List<CacheKey> universe() {
        List<CacheKey> keys = new ArrayList<>();
        for (long org : ORGS) {
            keys.add(CacheKey.settings(org));
            keys.add(CacheKey.roles(org));
            keys.add(CacheKey.userList(org));
            for (long id : IDS) {
                keys.add(CacheKey.rolePermissions(org, id));
                keys.add(CacheKey.user(org, id));
            }
        }
        return keys;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyNamespace")
    void scanPatternsMatchExactlyTheNamespacesValuesAndLeases(Namespace namespace) {
        List<String> patterns = namespace.redisScanPatterns(KeySpace.DEFAULT);
        for (CacheKey key : universe()) {
            boolean expected = namespace.matches(key);
            assertEquals(expected, anyMatch(patterns, CODEC.render(key)), () -> patterns + " vs " + key);
            assertEquals(expected, anyMatch(patterns, CODEC.leaseKey(key)), () -> patterns + " vs lease " + key);
        }
        KeyCodec other = new KeyCodec(new KeySpace("cc-x"));
        for (String foreign : List.of(KeySpace.DEFAULT.watermarkKey(), KeySpace.DEFAULT.evictionChannel(),
                other.render(CacheKey.user(42, 9)), other.leaseKey(CacheKey.settings(42)),
                "cc:v2:org:{42}:settings", "xcc:v1:org:{42}:settings")) {
            assertFalse(anyMatch(patterns, foreign), () -> patterns + " matched " + foreign);
        }
    }

    @Test
    void userPatternDoesNotMatchTheUserList() {
        List<String> patterns = Namespace.kinds(KeyKind.USER).redisScanPatterns(KeySpace.DEFAULT);
        assertEquals(List.of("cc:v1:org:{*}:user:*"), patterns);
        assertTrue(anyMatch(patterns, "cc:v1:org:{42}:user:9"));
        assertTrue(anyMatch(patterns, "cc:v1:org:{42}:user:9:lease"));
        assertFalse(anyMatch(patterns, "cc:v1:org:{42}:users:first"));
        assertFalse(anyMatch(patterns, "cc:v1:org:{42}:users:first:lease"));
    }

    @Test
    void wholeNamespacesNeedOnePattern() {
        assertEquals(List.of("cc:v1:org:{*}:*"), Namespace.all().redisScanPatterns(KeySpace.DEFAULT));
        assertEquals(List.of("it:v1:org:{42}:*"), Namespace.org(42).redisScanPatterns(new KeySpace("it")));
        assertEquals(List.of("cc:v1:org:{42}:settings*", "cc:v1:org:{42}:users:first*"),
                Namespace.orgKinds(42, KeyKind.USER_LIST, KeyKind.SETTINGS).redisScanPatterns(KeySpace.DEFAULT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyNamespace")
    void wireFormRoundTrips(Namespace namespace) {
        assertEquals(namespace, Namespace.parseWire(namespace.wire()));
    }

    static Stream<Arguments> wireForms() {
        return Stream.of(
                arguments(Namespace.all(), "*"),
                arguments(Namespace.org(42), "org=42"),
                arguments(Namespace.kinds(KeyKind.USER_LIST, KeyKind.USER), "kinds=USER,USER_LIST"),
                arguments(Namespace.orgKinds(42, KeyKind.SETTINGS), "org=42;kinds=SETTINGS"),
                arguments(Namespace.kinds(KeyKind.values()), "*"),
                arguments(Namespace.orgKinds(42, KeyKind.values()), "org=42"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("wireForms")
    void wireFormIsCanonical(Namespace namespace, String wire) {
        assertEquals(wire, namespace.wire());
        assertEquals(namespace, Namespace.parseWire(wire));
    }

    @Test
    void parseWireAcceptsKindsInAnyOrder() {
        assertEquals(Namespace.kinds(KeyKind.USER, KeyKind.USER_LIST), Namespace.parseWire("kinds=USER_LIST,USER"));
        assertEquals(Namespace.org(7),
                Namespace.parseWire("org=7;kinds=USER_LIST,USER,ROLES,SETTINGS,ROLE_PERMISSIONS"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " *", "**", "all", "org=", "org=0", "org=-1", "org=042", "org=42;", "org=42 ",
            "org=x", "kinds=", "kinds=USER,", "kinds=,USER", "kinds=user", "kinds=USER,USER",
            "kinds=SETTINGS;org=42", "org=42;kinds=USER;x", "org=42;org=43"})
    void parseWireRejectsJunk(String wire) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Namespace.parseWire(wire));
        assertTrue(e.getMessage().contains("\"" + wire + "\""), e.getMessage());
    }

    @Test
    void emptyOrFullKindSetsMeanEveryKind() {
        assertEquals(Namespace.all(), Namespace.kinds());
        assertEquals(Namespace.all(), Namespace.kinds(KeyKind.values()));
        assertEquals(Namespace.org(42), Namespace.orgKinds(42));
        assertEquals(EnumSet.allOf(KeyKind.class), Namespace.org(42).keyKinds());
        assertEquals(OptionalLong.of(42), Namespace.org(42).orgId());
        assertEquals(OptionalLong.empty(), Namespace.all().orgId());
        assertTrue(Namespace.all().coversAllKinds());
        assertFalse(Namespace.kinds(KeyKind.USER).coversAllKinds());
    }

    @Test
    void matchesByOrgAndKind() {
        Namespace ns = Namespace.orgKinds(42, KeyKind.USER);
        assertTrue(ns.matches(CacheKey.user(42, 9)));
        assertFalse(ns.matches(CacheKey.user(43, 9)));
        assertFalse(ns.matches(CacheKey.userList(42)));
        assertTrue(Namespace.all().matches(CacheKey.settings(1)));
    }

    @Test
    void factoriesRejectBadArguments() {
        assertEquals("orgId must be > 0, was 0",
                assertThrows(IllegalArgumentException.class, () -> Namespace.org(0)).getMessage());
        assertEquals("orgId must be > 0, was -3",
                assertThrows(IllegalArgumentException.class, () -> Namespace.orgKinds(-3, KeyKind.USER)).getMessage());
        assertThrows(NullPointerException.class, () -> Namespace.kinds(KeyKind.USER, null));
    }

    private static boolean anyMatch(List<String> patterns, String key) {
        return patterns.stream().anyMatch(p -> RedisGlob.matches(p, key));
    }
}
