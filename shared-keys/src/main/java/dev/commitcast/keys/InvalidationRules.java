package dev.commitcast.keys;

import static dev.commitcast.keys.KeyKind.ROLES;
import static dev.commitcast.keys.KeyKind.ROLE_PERMISSIONS;
import static dev.commitcast.keys.KeyKind.SETTINGS;
import static dev.commitcast.keys.KeyKind.USER;
import static dev.commitcast.keys.KeyKind.USER_LIST;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps a {@link RowChange} to the cache keys it makes stale. The one place that knows which endpoint reads which
 * table; both the invalidator and tests use it, so rules and keys cannot drift apart.
 *
 * <p>Rules, per table (every row carries its organisation id, so no lookup is ever needed):
 * <ul>
 *   <li>{@code orgs} create/update/read: settings, roles and user list of the organisation, because those endpoints
 *       answer (negatively cached) 404 for an unknown organisation; delete: {@link Namespace#org(long)}.</li>
 *   <li>{@code org_settings}: settings of {@code org_id}.</li>
 *   <li>{@code roles}: roles of {@code org_id} and permissions of role {@code id} (which answer a negatively cached
 *       404 for an unknown role).</li>
 *   <li>{@code role_permissions}: permissions of {@code (org_id, role_id)}.</li>
 *   <li>{@code users}: user {@code (org_id, id)} and the user list of {@code org_id}.</li>
 *   <li>truncate: the table's kinds across all organisations ({@link #fallbackFor(String)}).</li>
 * </ul>
 * Every present image is mapped and the results are united, so a row that moves between organisations (or ids)
 * invalidates both. The required image is the after image for create, read and update and the before image for
 * delete. A present image must carry every column its rule needs; the schema's {@code REPLICA IDENTITY FULL}
 * guarantees complete before images.
 *
 * <p>Stateless and thread-safe.
 */
public final class InvalidationRules {

    /** Maps one image of a change of a table to what it invalidates. */
    @FunctionalInterface
    private interface ImageRule {
        Invalidation apply(ChangeImage image);
    }

    /** What a table's changes invalidate, and what its truncation (or an unmappable change) invalidates. */
    private record TableRule(ImageRule imageRule, Namespace wholeTable) {
    }

    private static final Map<String, TableRule> RULES = Map.of(
            "orgs", new TableRule(InvalidationRules::org, Namespace.all()),
            "org_settings", new TableRule(
                    row -> Invalidation.of(CacheKey.settings(row.id("org_id"))),
                    Namespace.kinds(SETTINGS)),
            "roles", new TableRule(
                    row -> Invalidation.of(CacheKey.roles(row.id("org_id")),
                            CacheKey.rolePermissions(row.id("org_id"), row.id("id"))),
                    Namespace.kinds(ROLES, ROLE_PERMISSIONS)),
            "role_permissions", new TableRule(
                    row -> Invalidation.of(CacheKey.rolePermissions(row.id("org_id"), row.id("role_id"))),
                    Namespace.kinds(ROLE_PERMISSIONS)),
            "users", new TableRule(
                    row -> Invalidation.of(CacheKey.user(row.id("org_id"), row.id("id")),
                            CacheKey.userList(row.id("org_id"))),
                    Namespace.kinds(USER, USER_LIST)));

    private static final Set<String> TABLES = Collections.unmodifiableSortedSet(new TreeSet<>(RULES.keySet()));

    /** Creates the rules; they are stateless, so one instance can be shared. */
    public InvalidationRules() {
    }

    /** Returns the tables these rules know, sorted: the tables of the CDC publication. */
    public static Set<String> tables() {
        return TABLES;
    }

    /**
     * Returns what the change invalidates; never empty.
     *
     * @throws MalformedChangeException if the table is unknown, the operation's required image is missing, or a
     *                                  present image lacks a required column or holds a non-positive or
     *                                  non-integer value there
     */
    public Invalidation forChange(RowChange change) {
        Objects.requireNonNull(change, "change");
        TableRule rule = RULES.get(change.table());
        if (rule == null) {
            throw new MalformedChangeException(change.table(), change.op(), null,
                    "unknown table; known tables are " + TABLES);
        }
        if (change.op() == Operation.TRUNCATE) {
            return Invalidation.of(rule.wholeTable());
        }
        requireImage(change);
        Invalidation result = Invalidation.empty();
        if (change.before() != null) {
            result = rule.imageRule().apply(new ChangeImage(change, "before", change.before()));
        }
        if (change.after() != null) {
            result = result.union(rule.imageRule().apply(new ChangeImage(change, "after", change.after())));
        }
        return result;
    }

    /**
     * Returns the safe over-invalidation for a change of this table that could not be mapped: the table's kinds
     * across all organisations (as for a truncate), or {@link Namespace#all()} for an unknown or {@code null} table.
     */
    public static Namespace fallbackFor(String table) {
        TableRule rule = table == null ? null : RULES.get(table);
        return rule == null ? Namespace.all() : rule.wholeTable();
    }

    private static Invalidation org(ChangeImage row) {
        long org = row.id("id");
        if (row.op() == Operation.DELETE) {
            return Invalidation.of(Namespace.org(org));
        }
        return Invalidation.of(CacheKey.settings(org), CacheKey.roles(org), CacheKey.userList(org));
    }

    private static void requireImage(RowChange change) {
        boolean delete = change.op() == Operation.DELETE;
        if ((delete ? change.before() : change.after()) == null) {
            throw new MalformedChangeException(change.table(), change.op(), null,
                    (delete ? "before" : "after") + " image missing");
        }
    }
}
