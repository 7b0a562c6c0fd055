package dev.commitcast.api.http;

import dev.commitcast.api.config.CommitcastConfig;
import dev.commitcast.api.data.DataUnavailableException;
import dev.commitcast.api.data.ReadRepository;
import dev.commitcast.api.data.RoleRow;
import dev.commitcast.api.data.SettingsRow;
import dev.commitcast.api.data.SqlErrors;
import dev.commitcast.api.data.UserRow;
import dev.commitcast.api.perf.QueryTimers;
import dev.commitcast.client.Loader;
import dev.commitcast.core.CacheKey;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Loads a cache key's current value from Postgres and renders it as the exact response body of its endpoint, or
 * {@code null} when the resource does not exist (cached too, as the client's negative entry under the same key, so
 * the invalidation that follows a create busts it); {@link #notFound(CacheKey)} renders the 404 answer of such a key.
 * Blocking; the {@code TieredCache} runs it on the database executor. Connection failures surface as
 * {@link DataUnavailableException}. Thread-safe.
 */
@Singleton
final class ResourceLoader implements Loader<CachedValue> {

    private final ReadRepository reads;
    private final JsonMapper json;
    private final UserPages pages;
    private final QueryTimers timers;
    private final int maxPageSize;

    ResourceLoader(ReadRepository reads, JsonMapper json, UserPages pages, QueryTimers timers,
                   CommitcastConfig config) {
        this.reads = reads;
        this.json = json;
        this.pages = pages;
        this.timers = timers;
        this.maxPageSize = config.http().maxPageSize();
    }

    /** The roles of an organisation. */
    @Serdeable
    record RoleList(long orgId, List<RoleRow> roles) {
    }

    /** The permissions of a role. */
    @Serdeable
    record PermissionList(long orgId, long roleId, List<String> permissions) {
    }

    @Override
    public CachedValue load(CacheKey key) {
        String op = key.kind().name();
        try {
            return timers.time(op, () -> switch (op) {
                case "settings" -> settings(key.longPart("org"));
                case "roles" -> roles(key.longPart("org"));
                case "role_permissions" -> permissions(key.longPart("org"), key.longPart("role"));
                case "user" -> user(key.longPart("org"), key.longPart("id"));
                case "user_list" -> firstPage(key.longPart("org"));
                default -> throw new IllegalArgumentException("the demo API has no loader for kind " + op);
            });
        } catch (RuntimeException e) {
            throw unavailableOr(e);
        }
    }

    /** Returns a page after the first: not cached, straight from Postgres. */
    CachedValue page(long orgId, long afterId, int limit) {
        try {
            return timers.time("user_page", () -> {
                List<UserRow> rows = reads.findUsersAfter(orgId, afterId, limit + 1);
                if (rows.isEmpty() && !reads.orgExists(orgId)) {
                    return notFound("org " + orgId + " not found");
                }
                return pages.write(orgId, rows, limit);
            });
        } catch (RuntimeException e) {
            throw unavailableOr(e);
        }
    }

    /** Returns the 404 answer of a key whose value does not exist. */
    CachedValue notFound(CacheKey key) {
        return notFound(switch (key.kind().name()) {
            case "settings" -> "org " + key.longPart("org") + " not found (or has no settings)";
            case "role_permissions" -> "role " + key.longPart("role") + " not found in org " + key.longPart("org");
            case "user" -> "user " + key.longPart("id") + " not found in org " + key.longPart("org");
            default -> "org " + key.longPart("org") + " not found";
        });
    }

    private CachedValue settings(long orgId) {
        Optional<SettingsRow> row = reads.findSettings(orgId);
        return row.isPresent() ? found(row.get()) : null;
    }

    private CachedValue roles(long orgId) {
        List<RoleRow> roles = reads.findRoles(orgId);
        if (roles.isEmpty() && !reads.orgExists(orgId)) {
            return null;
        }
        return found(new RoleList(orgId, roles));
    }

    private CachedValue permissions(long orgId, long roleId) {
        List<String> permissions = reads.findPermissions(orgId, roleId);
        if (permissions.isEmpty() && !reads.roleExists(orgId, roleId)) {
            return null;
        }
        return found(new PermissionList(orgId, roleId, permissions));
    }

    private CachedValue user(long orgId, long userId) {
        Optional<UserRow> row = reads.findUser(orgId, userId);
        return row.isPresent() ? found(row.get()) : null;
    }

    private CachedValue firstPage(long orgId) {
        List<UserRow> rows = reads.findUsersAfter(orgId, 0, maxPageSize + 1);
        if (rows.isEmpty() && !reads.orgExists(orgId)) {
            return null;
        }
        return pages.write(orgId, rows, maxPageSize);
    }

    private CachedValue found(Object representation) {
        return CachedValue.found(serialize(representation));
    }

    private CachedValue notFound(String detail) {
        return CachedValue.notFound(serialize(Problem.of(HttpStatus.NOT_FOUND, detail, null)));
    }

    private byte[] serialize(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /** Database access failures are 503 on reads: the service is fine, its source of truth is not reachable. */
    private static RuntimeException unavailableOr(RuntimeException e) {
        SQLException sql = SqlErrors.findSqlException(e);
        return sql == null ? e : SqlErrors.unavailable(sql, e);
    }
}
