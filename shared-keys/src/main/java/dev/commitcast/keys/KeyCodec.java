package dev.commitcast.keys;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Renders {@link CacheKey}s to Redis keys and parses them back, within one {@link KeySpace}.
 *
 * <p>Layout, for key space {@code cc}:
 * <pre>
 * cc:v1:org:{42}:settings        KeyKind.SETTINGS
 * cc:v1:org:{42}:roles           KeyKind.ROLES
 * cc:v1:org:{42}:role:7:perms    KeyKind.ROLE_PERMISSIONS (role 7)
 * cc:v1:org:{42}:user:9          KeyKind.USER (user 9)
 * cc:v1:org:{42}:users:first     KeyKind.USER_LIST
 * </pre>
 * The organisation id is the Redis Cluster hash tag, so all keys of an organisation and their
 * {@link #leaseKey(CacheKey) lease keys} share one slot and can be used together in a script or transaction.
 *
 * <p>{@link #render(CacheKey)} is on the API's hot path: it is a single string concatenation. {@link #parse(String)}
 * is strict: it accepts exactly the strings {@code render} produces, so {@code render(parse(s)).equals(s)}.
 *
 * <p>Immutable and thread-safe.
 */
public final class KeyCodec {

    /** Suffix appended to a value key to name the lease that fences its fill. */
    public static final String LEASE_SUFFIX = ":lease";

    private static final String SETTINGS = "settings";
    private static final String ROLES = "roles";
    private static final String USERS_FIRST = "users:first";
    private static final String ROLE = "role:";
    private static final String PERMS = ":perms";
    private static final String USER = "user:";

    private final KeySpace keySpace;
    // "cc:v1:org:{": everything before the organisation id
    private final String orgPrefix;

    /** Creates a codec for the given key space. */
    public KeyCodec(KeySpace keySpace) {
        this.keySpace = Objects.requireNonNull(keySpace, "keySpace");
        this.orgPrefix = keySpace.prefix() + ":" + KeySpace.VERSION + ":org:{";
    }

    /** Returns the key space this codec renders into. */
    public KeySpace keySpace() {
        return keySpace;
    }

    /** Returns the Redis key of a cached value, e.g. {@code cc:v1:org:{42}:user:9}. */
    public String render(CacheKey key) {
        long org = key.orgId();
        return switch (key.kind()) {
            case SETTINGS -> orgPrefix + org + "}:" + SETTINGS;
            case ROLES -> orgPrefix + org + "}:" + ROLES;
            case ROLE_PERMISSIONS -> orgPrefix + org + "}:" + ROLE + key.id() + PERMS;
            case USER -> orgPrefix + org + "}:" + USER + key.id();
            case USER_LIST -> orgPrefix + org + "}:" + USERS_FIRST;
        };
    }

    /** Returns the Redis key of the lease guarding the fill of a value: {@code render(key) + ":lease"}. */
    public String leaseKey(CacheKey key) {
        return render(key) + LEASE_SUFFIX;
    }

    /** Returns {@link #render(CacheKey)} as bytes (keys are ASCII), for binary Redis codecs. */
    public byte[] renderBytes(CacheKey key) {
        return render(key).getBytes(StandardCharsets.US_ASCII);
    }

    /** Returns {@link #leaseKey(CacheKey)} as bytes (keys are ASCII), for binary Redis codecs. */
    public byte[] leaseKeyBytes(CacheKey key) {
        return leaseKey(key).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Parses a value key rendered by this codec.
     *
     * @throws IllegalArgumentException quoting the input, if it is not exactly a rendered value key of this key
     *                                  space (other prefix or version, lease key, unknown kind, zero, negative or
     *                                  non-canonical id, trailing parts)
     */
    public CacheKey parse(String redisKey) {
        Objects.requireNonNull(redisKey, "redisKey");
        if (!redisKey.startsWith(orgPrefix)) {
            throw invalid(redisKey, "does not start with " + Quoting.quote(orgPrefix));
        }
        int close = redisKey.indexOf('}', orgPrefix.length());
        if (close < 0 || !redisKey.startsWith(":", close + 1)) {
            throw invalid(redisKey, "expected \"{<org id>}:\"");
        }
        long org = positive(redisKey, orgPrefix.length(), close, "org id");
        return parseSuffix(redisKey, close + 2, org);
    }

    /** Parses a value key given as bytes; see {@link #parse(String)}. */
    public CacheKey parse(byte[] redisKey) {
        Objects.requireNonNull(redisKey, "redisKey");
        return parse(new String(redisKey, StandardCharsets.UTF_8));
    }

    private CacheKey parseSuffix(String s, int start, long org) {
        int length = s.length() - start;
        if (length == SETTINGS.length() && s.startsWith(SETTINGS, start)) {
            return CacheKey.settings(org);
        }
        if (length == ROLES.length() && s.startsWith(ROLES, start)) {
            return CacheKey.roles(org);
        }
        if (length == USERS_FIRST.length() && s.startsWith(USERS_FIRST, start)) {
            return CacheKey.userList(org);
        }
        if (s.startsWith(USER, start)) {
            return CacheKey.user(org, positive(s, start + USER.length(), s.length(), "user id"));
        }
        if (s.startsWith(ROLE, start) && s.endsWith(PERMS) && s.length() - PERMS.length() > start + ROLE.length()) {
            long role = positive(s, start + ROLE.length(), s.length() - PERMS.length(), "role id");
            return CacheKey.rolePermissions(org, role);
        }
        throw invalid(s, "unknown key kind " + Quoting.quote(s.substring(start)));
    }

    private long positive(String s, int from, int to, String what) {
        long value = DecimalParser.parse(s, from, to);
        if (value <= 0) {
            throw invalid(s, what + " " + Quoting.quote(s.substring(from, to))
                    + " is not a canonical decimal > 0");
        }
        return value;
    }

    private IllegalArgumentException invalid(String input, String reason) {
        return new IllegalArgumentException("not a cache key of key space '" + keySpace.prefix() + "': "
                + Quoting.quote(input) + ": " + reason);
    }
}
