package dev.commitcast.keys;

import static dev.commitcast.keys.CacheKey.rolePermissions;
import static dev.commitcast.keys.CacheKey.roles;
import static dev.commitcast.keys.CacheKey.settings;
import static dev.commitcast.keys.CacheKey.user;
import static dev.commitcast.keys.CacheKey.userList;
import static dev.commitcast.keys.Operation.CREATE;
import static dev.commitcast.keys.Operation.DELETE;
import static dev.commitcast.keys.Operation.READ;
import static dev.commitcast.keys.Operation.TRUNCATE;
import static dev.commitcast.keys.Operation.UPDATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One table-driven test per rule: (table, op, before, after) -> expected invalidation. */
class InvalidationRulesTest {

    private static final SourcePosition SOURCE = new SourcePosition(1_000, Instant.parse("2025-01-01T00:00:00Z"), 7);
    private static final String CASE = "{0} {1} before={2} after={3}";

    private final InvalidationRules rules = new InvalidationRules();

    static Stream<Arguments> orgsRule() {
        Invalidation org42 = keys(settings(42), roles(42), userList(42));
        return Stream.of(
                arguments("orgs", CREATE, null, row("id", 42, "slug", "acme"), org42),
                arguments("orgs", READ, null, row("id", 42L), org42),
                arguments("orgs", UPDATE, row("id", "42", "plan", "free"), row("id", 42L, "plan", "team"), org42),
                arguments("orgs", UPDATE, null, row("id", BigInteger.valueOf(42)), org42),
                arguments("orgs", UPDATE, row("id", 41), row("id", 42),
                        keys(settings(41), roles(41), userList(41), settings(42), roles(42), userList(42))),
                arguments("orgs", DELETE, row("id", new BigDecimal("42")), null, Invalidation.of(Namespace.org(42))));
    }

    @ParameterizedTest(name = CASE)
    @MethodSource
    void orgsRule(String table, Operation op, Map<String, Object> before, Map<String, Object> after,
                  Invalidation expected) {
        assertEquals(expected, rules.forChange(change(table, op, before, after)));
    }

    static Stream<Arguments> orgSettingsRule() {
        return Stream.of(
                arguments("org_settings", CREATE, null, row("org_id", 42), keys(settings(42))),
                arguments("org_settings", READ, null, row("org_id", "42"), keys(settings(42))),
                arguments("org_settings", UPDATE, row("org_id", 42L, "locale", "en-US"),
                        row("org_id", 42L, "locale", "de-DE"), keys(settings(42))),
                arguments("org_settings", UPDATE, row("org_id", 41), row("org_id", 42),
                        keys(settings(41), settings(42))),
                arguments("org_settings", DELETE, row("org_id", 42), null, keys(settings(42))));
    }

    @ParameterizedTest(name = CASE)
    @MethodSource
    void orgSettingsRule(String table, Operation op, Map<String, Object> before, Map<String, Object> after,
                         Invalidation expected) {
        assertEquals(expected, rules.forChange(change(table, op, before, after)));
    }

    static Stream<Arguments> rolesRule() {
        return Stream.of(
                arguments("roles", CREATE, null, row("id", 7, "org_id", 42), keys(roles(42), rolePermissions(42, 7))),
                arguments("roles", READ, null, row("id", "7", "org_id", 42L), keys(roles(42), rolePermissions(42, 7))),
                arguments("roles", UPDATE, row("id", 7, "org_id", 42, "name", "a"), row("id", 7, "org_id", 42, "name", "b"),
                        keys(roles(42), rolePermissions(42, 7))),
                arguments("roles", UPDATE, row("id", 7, "org_id", 41), row("id", 7, "org_id", 42),
                        keys(roles(41), rolePermissions(41, 7), roles(42), rolePermissions(42, 7))),
                arguments("roles", DELETE, row("id", 7L, "org_id", 42L), null, keys(roles(42), rolePermissions(42, 7))));
    }

    @ParameterizedTest(name = CASE)
    @MethodSource
    void rolesRule(String table, Operation op, Map<String, Object> before, Map<String, Object> after,
                   Invalidation expected) {
        assertEquals(expected, rules.forChange(change(table, op, before, after)));
    }

    static Stream<Arguments> rolePermissionsRule() {
        return Stream.of(
                arguments("role_permissions", CREATE, null, row("org_id", 42, "role_id", 7, "permission", "users.read"),
                        keys(rolePermissions(42, 7))),
                arguments("role_permissions", READ, null, row("org_id", "42", "role_id", 7L), keys(rolePermissions(42, 7))),
                arguments("role_permissions", UPDATE, row("org_id", 42, "role_id", 7), row("org_id", 42, "role_id", 8),
                        keys(rolePermissions(42, 7), rolePermissions(42, 8))),
                arguments("role_permissions", DELETE, row("org_id", 42, "role_id", new BigDecimal("7.000")), null,
                        keys(rolePermissions(42, 7))));
    }

    @ParameterizedTest(name = CASE)
    @MethodSource
    void rolePermissionsRule(String table, Operation op, Map<String, Object> before, Map<String, Object> after,
                             Invalidation expected) {
        assertEquals(expected, rules.forChange(change(table, op, before, after)));
    }

    static Stream<Arguments> usersRule() {
        Invalidation user9 = keys(user(42, 9), userList(42));
        return Stream.of(
                arguments("users", CREATE, null, row("id", 9, "org_id", 42, "role_id", null), user9),
                arguments("users", READ, null, row("id", 9L, "org_id", 42L), user9),
                arguments("users", UPDATE, row("id", "9", "org_id", "42", "status", "active"),
                        row("id", 9, "org_id", 42, "status", "suspended"), user9),
                arguments("users", UPDATE, null, row("id", 9, "org_id", 42), user9),
                arguments("users", UPDATE, row("id", 9, "org_id", 42), row("id", 9L, "org_id", "43"),
                        keys(user(42, 9), userList(42), user(43, 9), userList(43))),
                arguments("users", DELETE, row("id", BigInteger.valueOf(9), "org_id", 42), null, user9));
    }

    @ParameterizedTest(name = CASE)
    @MethodSource
    void usersRule(String table, Operation op, Map<String, Object> before, Map<String, Object> after,
                   Invalidation expected) {
        assertEquals(expected, rules.forChange(change(table, op, before, after)));
    }

    static Stream<Arguments> truncateRule() {
        return Stream.of(
                arguments("orgs", TRUNCATE, null, null, Invalidation.of(Namespace.all())),
                arguments("org_settings", TRUNCATE, null, null, Invalidation.of(Namespace.kinds(KeyKind.SETTINGS))),
                arguments("roles", TRUNCATE, null, null,
                        Invalidation.of(Namespace.kinds(KeyKind.ROLES, KeyKind.ROLE_PERMISSIONS))),
                arguments("role_permissions", TRUNCATE, null, null,
                        Invalidation.of(Namespace.kinds(KeyKind.ROLE_PERMISSIONS))),
                arguments("users", TRUNCATE, null, null,
                        Invalidation.of(Namespace.kinds(KeyKind.USER, KeyKind.USER_LIST))));
    }

    @ParameterizedTest(name = CASE)
    @MethodSource
    void truncateRule(String table, Operation op, Map<String, Object> before, Map<String, Object> after,
                      Invalidation expected) {
        assertEquals(expected, rules.forChange(change(table, op, before, after)));
        assertEquals(expected, Invalidation.of(InvalidationRules.fallbackFor(table)));
    }

    static Stream<Arguments> malformedChanges() {
        return Stream.of(
                arguments("users", UPDATE, row("id", 9), row("id", 9), "org_id",
                        "malformed users UPDATE change: column 'org_id' missing in before image"),
                arguments("users", UPDATE, row("id", 9, "org_id", 42), row("id", 9), "org_id",
                        "malformed users UPDATE change: column 'org_id' missing in after image"),
                arguments("users", CREATE, null, row("id", 9, "org_id", null), "org_id",
                        "malformed users CREATE change: column 'org_id' missing in after image"),
                arguments("users", CREATE, null, null, null, "malformed users CREATE change: after image missing"),
                arguments("users", UPDATE, row("id", 9, "org_id", 42), null, null,
                        "malformed users UPDATE change: after image missing"),
                arguments("roles", DELETE, null, row("id", 7, "org_id", 42), null,
                        "malformed roles DELETE change: before image missing"),
                arguments("users", CREATE, null, row("id", "nine", "org_id", 42), "id",
                        "malformed users CREATE change: column 'id' in after image must be an integer > 0, was \"nine\""),
                arguments("users", READ, null, row("id", 0, "org_id", 42), "id",
                        "malformed users READ change: column 'id' in after image must be an integer > 0, was 0"),
                arguments("orgs", DELETE, row("id", -3), null, "id",
                        "malformed orgs DELETE change: column 'id' in before image must be an integer > 0, was -3"),
                arguments("roles", CREATE, null, row("id", 7.5, "org_id", 42), "id",
                        "malformed roles CREATE change: column 'id' in after image has type Double, "
                                + "expected an integer or a numeric string"),
                arguments("roles", CREATE, null, row("id", new BigDecimal("7.5"), "org_id", 42), "id",
                        "malformed roles CREATE change: column 'id' in after image must be an integer > 0, was 7.5"),
                arguments("orgs", CREATE, null, row("id", new BigInteger("9223372036854775808")), "id",
                        "malformed orgs CREATE change: column 'id' in after image must be an integer > 0, "
                                + "was 9223372036854775808"),
                arguments("role_permissions", CREATE, null, row("org_id", 42, "permission", "x"), "role_id",
                        "malformed role_permissions CREATE change: column 'role_id' missing in after image"),
                arguments("org_settings", UPDATE, null, row("org_id", " 42"), "org_id",
                        "malformed org_settings UPDATE change: column 'org_id' in after image must be an integer > 0, "
                                + "was \" 42\""),
                arguments("accounts", CREATE, null, row("id", 1), null,
                        "malformed accounts CREATE change: unknown table; known tables are "
                                + "[org_settings, orgs, role_permissions, roles, users]"),
                arguments("public.users", TRUNCATE, null, null, null,
                        "malformed public.users TRUNCATE change: unknown table; known tables are "
                                + "[org_settings, orgs, role_permissions, roles, users]"));
    }

    @ParameterizedTest(name = CASE)
    @MethodSource
    void malformedChanges(String table, Operation op, Map<String, Object> before, Map<String, Object> after,
                          String column, String message) {
        MalformedChangeException e = assertThrows(MalformedChangeException.class,
                () -> rules.forChange(change(table, op, before, after)));
        assertEquals(message, e.getMessage());
        assertEquals(table, e.table());
        assertEquals(op, e.operation());
        assertEquals(column, e.column());
    }

    static Stream<Arguments> fallbackRule() {
        return Stream.of(
                arguments("orgs", Namespace.all()),
                arguments("org_settings", Namespace.kinds(KeyKind.SETTINGS)),
                arguments("roles", Namespace.kinds(KeyKind.ROLES, KeyKind.ROLE_PERMISSIONS)),
                arguments("role_permissions", Namespace.kinds(KeyKind.ROLE_PERMISSIONS)),
                arguments("users", Namespace.kinds(KeyKind.USER, KeyKind.USER_LIST)),
                arguments("accounts", Namespace.all()),
                arguments(null, Namespace.all()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource
    void fallbackRule(String table, Namespace expected) {
        assertEquals(expected, InvalidationRules.fallbackFor(table));
    }

    @Test
    void everyMappedChangeIsCoveredByItsTablesFallback() {
        Stream.of(orgSettingsRule(), rolesRule(), rolePermissionsRule(), usersRule()).flatMap(s -> s).forEach(args -> {
            Object[] a = args.get();
            @SuppressWarnings("unchecked")
            Invalidation result = rules.forChange(change((String) a[0], (Operation) a[1],
                    (Map<String, Object>) a[2], (Map<String, Object>) a[3]));
            Namespace fallback = InvalidationRules.fallbackFor((String) a[0]);
            result.keys().forEach(k -> assertTrue(fallback.matches(k), k + " escapes " + fallback));
        });
    }

    @Test
    void tablesAreThePublicationsTables() {
        assertEquals(List.of("org_settings", "orgs", "role_permissions", "roles", "users"),
                List.copyOf(InvalidationRules.tables()));
    }

    @Test
    void invalidationUnionAndCoverage() {
        Invalidation a = keys(user(42, 9));
        Invalidation b = Invalidation.of(Namespace.kinds(KeyKind.SETTINGS));
        Invalidation union = a.union(b).union(Invalidation.empty());
        assertEquals(new Invalidation(Set.of(user(42, 9)), Set.of(Namespace.kinds(KeyKind.SETTINGS))),
                union);
        assertTrue(union.covers(settings(1)));
        assertTrue(union.covers(user(42, 9)));
        assertTrue(Invalidation.empty().isEmpty());
        assertEquals(a, Invalidation.of(user(42, 9), user(42, 9)));
    }

    private static Invalidation keys(CacheKey... keys) {
        return Invalidation.of(keys);
    }

    /** A row image from alternating column names and values; values may be null (Map.of forbids that). */
    private static Map<String, Object> row(Object... columnsAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            row.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return row;
    }

    private static RowChange change(String table, Operation op, Map<String, Object> before, Map<String, Object> after) {
        return new RowChange(table, op, before, after, SOURCE);
    }
}
