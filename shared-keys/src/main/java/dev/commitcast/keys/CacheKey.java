package dev.commitcast.keys;

import java.util.Objects;

/**
 * One cached value: its kind, its organisation and, for {@link KeyKind#hasId() kinds with one}, the entity id.
 * Turned into a Redis key by {@link KeyCodec}.
 *
 * <p>Immutable and thread-safe; equal keys render to equal strings.
 *
 * @param kind  the kind of value
 * @param orgId the organisation, {@code > 0}
 * @param id    the role or user id ({@code > 0}) for {@link KeyKind#ROLE_PERMISSIONS} and {@link KeyKind#USER};
 *              {@code 0} for the other kinds
 */
public record CacheKey(KeyKind kind, long orgId, long id) {

    /** Validates the components. */
    public CacheKey {
        Objects.requireNonNull(kind, "kind");
        requirePositive("orgId", orgId);
        if (kind.hasId()) {
            requirePositive("id", id);
        } else if (id != 0) {
            throw new IllegalArgumentException("id must be 0 for kind " + kind + ", was " + id);
        }
    }

    /** Returns the key of an organisation's settings. */
    public static CacheKey settings(long orgId) {
        return new CacheKey(KeyKind.SETTINGS, orgId, 0);
    }

    /** Returns the key of an organisation's roles. */
    public static CacheKey roles(long orgId) {
        return new CacheKey(KeyKind.ROLES, orgId, 0);
    }

    /** Returns the key of one role's permissions. */
    public static CacheKey rolePermissions(long orgId, long roleId) {
        return new CacheKey(KeyKind.ROLE_PERMISSIONS, orgId, roleId);
    }

    /** Returns the key of one user. */
    public static CacheKey user(long orgId, long userId) {
        return new CacheKey(KeyKind.USER, orgId, userId);
    }

    /** Returns the key of the first page of an organisation's users. */
    public static CacheKey userList(long orgId) {
        return new CacheKey(KeyKind.USER_LIST, orgId, 0);
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }
}
