package dev.commitcast.core;

import java.util.Objects;

/**
 * Where one environment's keys, channel and platform keys live in Redis: a prefix (environments and tests sharing one
 * Redis isolate by it) and the version of the key layout (bump it to change keys without colliding with old values).
 * <pre>
 * cc:v1:org:{42}:user:9            a cached value: {@link #valueKey(CacheKey)} = key prefix + the key's path
 * cc:v1:org:{42}:user:9#lease      its fill lease: {@link #leaseKey(CacheKey)}
 * cc:v1:product:7#lease{4if}        the lease of a value without a hash tag: tagged into the value's slot
 * cc:sys:evictions                 the eviction broadcast channel
 * cc:sys:watermark                 the newest global watermark
 * cc:sys:watermarks                per-partition watermarks (a hash)
 * cc:sys:rules                     the rules fingerprint the key space was last made consistent under
 * cc:sys:redis                     the run id of the Redis server it was last made consistent on
 * cc:sys:gen:{&lt;tag&gt;}              a hash slot's fill generation (see GenerationKeys)
 * </pre>
 * Platform keys and the channel do not depend on the layout version, so processes whose rules differ still hear each
 * other and can tell that they differ (the rules fingerprint travels on the channel).
 *
 * <p>The prefix is restricted to {@code [a-z0-9_.-]+}: none of these characters is special in a Redis glob or a
 * Redis Cluster hash tag, so keys and SCAN patterns built from it never need escaping. Immutable.
 *
 * @param prefix  the environment prefix, e.g. {@code cc}
 * @param version the key layout version, {@code >= 1}
 */
public record KeySpace(String prefix, int version) {

    /**
     * Suffix of a value key that names the lease fencing its fill. No key path contains {@code #} (literals are
     * {@code [A-Za-z0-9_.-]}, text parts percent-encode it), so a lease key is never another kind's value key.
     */
    public static final String LEASE_SUFFIX = "#lease";

    /** Validates the components. */
    public KeySpace {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("key space prefix must not be empty");
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-')) {
                throw new IllegalArgumentException("key space prefix \"" + prefix
                        + "\" has an illegal character at index " + i + "; allowed are [a-z0-9_.-]");
            }
        }
        if (version < 1) {
            throw new IllegalArgumentException("key space version must be >= 1, was " + version);
        }
    }

    /** Returns the same layout version under another prefix (an environment's own key space). */
    public KeySpace withPrefix(String otherPrefix) {
        return new KeySpace(otherPrefix, version);
    }

    /** Returns what every value key starts with, e.g. {@code cc:v1:}. */
    public String keyPrefix() {
        return prefix + ":v" + version + ":";
    }

    /** Returns the Redis key of a cached value, e.g. {@code cc:v1:org:{42}:user:9}. */
    public String valueKey(CacheKey key) {
        return keyPrefix() + key.path();
    }

    /** Returns the Redis key of the lease fencing the fill of a value; see {@link #leaseKeyOf(String)}. */
    public String leaseKey(CacheKey key) {
        return leaseKeyOf(valueKey(key));
    }

    /**
     * Returns the Redis key of the lease fencing the fill of a value key, in the value's hash slot so that one
     * script can touch both on Redis Cluster: {@code valueKey + "#lease"} when the value key has a hash tag (the
     * lease shares it), else {@code valueKey + "#lease{<t>}"} where {@code t} is the generation tag of the value's
     * slot ({@link GenerationKeys#tag(int)}), whose slot is by construction the value's.
     */
    public static String leaseKeyOf(String valueKey) {
        if (HashSlot.hasHashTag(valueKey)) {
            return valueKey + LEASE_SUFFIX;
        }
        return valueKey + LEASE_SUFFIX + "{" + GenerationKeys.tag(HashSlot.of(valueKey)) + "}";
    }

    /** Returns whether a Redis key (of any key space) names a fill lease, as {@link #leaseKeyOf} makes them. */
    public static boolean isLeaseKey(String redisKey) {
        return valueKeyOfLease(redisKey) != null;
    }

    /** Returns the value key a lease key fences, or null when {@code redisKey} is not a lease key. */
    public static String valueKeyOfLease(String redisKey) {
        if (redisKey.endsWith(LEASE_SUFFIX)) {
            return redisKey.substring(0, redisKey.length() - LEASE_SUFFIX.length());
        }
        int at = redisKey.lastIndexOf(LEASE_SUFFIX + "{");
        if (at < 0 || !redisKey.endsWith("}")) {
            return null;
        }
        String value = redisKey.substring(0, at);
        return !HashSlot.hasHashTag(value) && leaseKeyOf(value).equals(redisKey) ? value : null;
    }

    /** Returns the prefix of platform keys, e.g. {@code cc:sys:}. */
    public String systemPrefix() {
        return prefix + ":sys:";
    }

    /** Returns the pub/sub channel of the eviction broadcast, e.g. {@code cc:sys:evictions}. */
    public String evictionChannel() {
        return systemPrefix() + "evictions";
    }

    /** Returns the key of the newest global watermark, e.g. {@code cc:sys:watermark}. */
    public String watermarkKey() {
        return systemPrefix() + "watermark";
    }

    /** Returns the hash of per-partition watermarks, e.g. {@code cc:sys:watermarks}. */
    public String partitionWatermarksKey() {
        return systemPrefix() + "watermarks";
    }

    /**
     * Returns the key holding the fingerprint of the rules under which the key space was last made consistent
     * (every value either deleted or invalidated under those rules ever since); absent while unknown.
     */
    public String rulesKey() {
        return systemPrefix() + "rules";
    }

    /**
     * Returns the key holding the {@code run_id} of the Redis server on which the key space was last made
     * consistent: a restarted server (which may have loaded old values and leases from RDB or AOF) or another one
     * (a failover) has another run id, so its data is not trusted until everything is invalidated on it.
     */
    public String serverKey() {
        return systemPrefix() + "redis";
    }
}
