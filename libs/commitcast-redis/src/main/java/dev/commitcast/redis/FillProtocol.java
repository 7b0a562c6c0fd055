package dev.commitcast.redis;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.GenerationKeys;
import dev.commitcast.core.HashSlot;
import dev.commitcast.core.KeySpace;

import java.util.List;

/**
 * The lease-fenced fill of one L2 value (memcache-style leases, ADR-0003, with the generation fence of ADR-0006): the
 * one definition of the two scripts every cache client runs. Both touch three keys of one hash slot — the value, its
 * lease ({@link KeySpace#leaseKeyOf}: {@code <value>#lease}, tagged into the value's slot when the value has no hash
 * tag) and the slot's generation counter ({@link GenerationKeys}) — so they run on Redis Cluster too.
 * <ul>
 *   <li>{@link #LEASE} ({@code ARGV: token, leaseTtlMillis}): the value if it exists ({@code {1, value}}); else, if a
 *       lease exists, busy ({@code {2}}); else {@code SET lease "<token>:<generation>" NX PX leaseTtl} and granted
 *       ({@code {3}}). The lease records the slot's generation as it was.</li>
 *   <li>{@link #FILL} ({@code ARGV: token, value, ttlMillis}): only if the lease still reads
 *       {@code "<token>:<current generation>"}, {@code SET value PX ttl}, delete the lease and answer 1; else answer 0
 *       (and delete the lease if it is this reader's, so the next reader can lease again).</li>
 * </ul>
 * A single-key invalidation deletes the value and its lease, so a fill that raced with it finds no lease. A
 * namespace invalidation first increments the generation of every slot it can touch and only then deletes by SCAN,
 * so a fill whose lease was taken before it began finds another generation, however long the SCAN takes.
 * Stateless.
 */
public final class FillProtocol {

    /** Outcome code of {@link #LEASE}: the value was there. */
    public static final long HIT = 1;
    /** Outcome code of {@link #LEASE}: another reader holds the lease. */
    public static final long BUSY = 2;
    /** Outcome code of {@link #LEASE}: this reader holds the lease now. */
    public static final long GRANTED = 3;

    /** KEYS: value, lease, generation. ARGV: token, lease TTL in ms. */
    public static final LuaScript LEASE = new LuaScript("lease", """
            local v = redis.call('GET', KEYS[1])
            if v then return {1, v} end
            local g = redis.call('GET', KEYS[3]) or '0'
            if redis.call('SET', KEYS[2], ARGV[1] .. ':' .. g, 'NX', 'PX', ARGV[2]) then return {3} end
            return {2}
            """);

    /** KEYS: value, lease, generation. ARGV: token, value, TTL in ms. */
    public static final LuaScript FILL = new LuaScript("fill", """
            local g = redis.call('GET', KEYS[3]) or '0'
            local l = redis.call('GET', KEYS[2])
            if l == ARGV[1] .. ':' .. g then
              redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
              redis.call('DEL', KEYS[2])
              return 1
            end
            if l and string.sub(l, 1, string.len(ARGV[1]) + 1) == ARGV[1] .. ':' then
              redis.call('DEL', KEYS[2])
            end
            return 0
            """);

    /** Both scripts, e.g. to load them on connect. */
    public static final List<LuaScript> SCRIPTS = List.of(LEASE, FILL);

    private FillProtocol() {
    }

    /** Returns the three keys both scripts take for a cache key: value, lease, generation. */
    public static String[] keys(KeySpace keySpace, CacheKey key) {
        String value = keySpace.valueKey(key);
        return new String[] {value, KeySpace.leaseKeyOf(value),
                GenerationKeys.key(keySpace, HashSlot.of(value))};
    }
}
