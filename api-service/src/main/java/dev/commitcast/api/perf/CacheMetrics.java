package dev.commitcast.api.perf;

import dev.commitcast.core.KeyKind;
import dev.commitcast.core.Rules;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cache's counters, registered once with Micrometer and kept in arrays so the hot path increments without a
 * lookup. Names (Prometheus form): {@code commitcast_cache_requests_total{tier,kind,result}},
 * {@code commitcast_cache_fills_total{tier,kind,outcome}}, {@code commitcast_cache_singleflight_joins_total{kind}},
 * {@code commitcast_cache_lease_busy_total{kind}}, {@code commitcast_cache_fallbacks_total{reason}},
 * {@code commitcast_cache_bypass_total{reason}}. Thread-safe.
 */
@Singleton
public final class CacheMetrics {

    /** A cache tier. */
    public enum Tier { L1, L2 }

    /** Why a read skipped or lost L2 and went to Postgres directly. */
    public enum Fallback {
        /** The circuit breaker is open, or Redis has not connected since start: Redis was not asked. */
        L2_UNAVAILABLE,
        /** Redis failed or timed out. */
        L2_ERROR,
        /** The L2 value did not decode. */
        CORRUPT_VALUE
    }

    /** Why a read ignored both caches. */
    public enum Bypass { DISABLED, STALE }

    private static final int TIERS = Tier.values().length;

    private final List<KeyKind> kinds;
    private final int kindCount;
    private final Counter[] hits;
    private final Counter[] misses;
    private final Counter[] stored;
    private final Counter[] rejected;
    private final Counter[] joins;
    private final Counter[] busy;
    private final Map<Fallback, Counter> fallbacks = new EnumMap<>(Fallback.class);
    private final Map<Bypass, Counter> bypasses = new EnumMap<>(Bypass.class);

    /** Registers every counter, for every kind of the rules. */
    public CacheMetrics(MeterRegistry registry, Rules rules) {
        kinds = rules.kinds();
        kindCount = kinds.size();
        hits = new Counter[TIERS * kindCount];
        misses = new Counter[TIERS * kindCount];
        stored = new Counter[TIERS * kindCount];
        rejected = new Counter[TIERS * kindCount];
        joins = new Counter[kindCount];
        busy = new Counter[kindCount];
        for (Tier tier : Tier.values()) {
            for (KeyKind kind : kinds) {
                int i = index(tier, kind);
                hits[i] = request(registry, tier, kind, "hit");
                misses[i] = request(registry, tier, kind, "miss");
                stored[i] = fill(registry, tier, kind, "stored");
                rejected[i] = fill(registry, tier, kind, "rejected");
            }
        }
        for (KeyKind kind : kinds) {
            joins[kind.index()] = Counter.builder("commitcast.cache.singleflight.joins")
                    .description("Reads that joined an in-flight load of the same key instead of loading it")
                    .tag("kind", kind.name()).register(registry);
            busy[kind.index()] = Counter.builder("commitcast.cache.lease.busy")
                    .description("L2 misses that found another reader's fill lease and read Postgres without filling")
                    .tag("kind", kind.name()).register(registry);
        }
        for (Fallback reason : Fallback.values()) {
            fallbacks.put(reason, Counter.builder("commitcast.cache.fallbacks")
                    .description("Reads that could not use L2 and were served from L1 fills and Postgres")
                    .tag("reason", name(reason)).register(registry));
        }
        for (Bypass reason : Bypass.values()) {
            bypasses.put(reason, Counter.builder("commitcast.cache.bypass")
                    .description("Reads served from Postgres ignoring both caches")
                    .tag("reason", name(reason)).register(registry));
        }
    }

    /** Counts a hit. */
    public void hit(Tier tier, KeyKind kind) {
        hits[index(tier, kind)].increment();
    }

    /** Counts a miss. */
    public void miss(Tier tier, KeyKind kind) {
        misses[index(tier, kind)].increment();
    }

    /** Counts a fill that was stored. */
    public void fillStored(Tier tier, KeyKind kind) {
        stored[index(tier, kind)].increment();
    }

    /** Counts a fill dropped by fencing (an invalidation arrived while the value was being read). */
    public void fillRejected(Tier tier, KeyKind kind) {
        rejected[index(tier, kind)].increment();
    }

    /** Counts a single-flight join. */
    public void join(KeyKind kind) {
        joins[kind.index()].increment();
    }

    /** Counts a lease found busy. */
    public void leaseBusy(KeyKind kind) {
        busy[kind.index()].increment();
    }

    /** Counts an L2 fallback. */
    public void fallback(Fallback reason) {
        fallbacks.get(reason).increment();
    }

    /** Counts a bypass of both caches. */
    public void bypass(Bypass reason) {
        bypasses.get(reason).increment();
    }

    /** Returns the hit count of a tier and kind. */
    public long hits(Tier tier, KeyKind kind) {
        return (long) hits[index(tier, kind)].count();
    }

    /** Returns the miss count of a tier and kind. */
    public long misses(Tier tier, KeyKind kind) {
        return (long) misses[index(tier, kind)].count();
    }

    /** Returns the stored fills of a tier and kind. */
    public long fillsStored(Tier tier, KeyKind kind) {
        return (long) stored[index(tier, kind)].count();
    }

    /** Returns the rejected fills of a tier and kind. */
    public long fillsRejected(Tier tier, KeyKind kind) {
        return (long) rejected[index(tier, kind)].count();
    }

    /** Returns the single-flight joins of a kind. */
    public long joins(KeyKind kind) {
        return (long) joins[kind.index()].count();
    }

    /** Returns the busy leases of a kind. */
    public long leasesBusy(KeyKind kind) {
        return (long) busy[kind.index()].count();
    }

    /** Returns the fallbacks for a reason. */
    public long fallbacks(Fallback reason) {
        return (long) fallbacks.get(reason).count();
    }

    /** Returns the bypasses for a reason. */
    public long bypasses(Bypass reason) {
        return (long) bypasses.get(reason).count();
    }

    /** Returns the lower-case tag value of an enum constant, e.g. {@code l1}. */
    public static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** Returns the kinds counted, in declaration order. */
    public List<KeyKind> kinds() {
        return kinds;
    }

    private int index(Tier tier, KeyKind kind) {
        return tier.ordinal() * kindCount + kind.index();
    }

    private static Counter request(MeterRegistry registry, Tier tier, KeyKind kind, String result) {
        return Counter.builder("commitcast.cache.requests")
                .description("Cache lookups per tier and key kind")
                .tag("tier", name(tier)).tag("kind", kind.name()).tag("result", result).register(registry);
    }

    private static Counter fill(MeterRegistry registry, Tier tier, KeyKind kind, String outcome) {
        return Counter.builder("commitcast.cache.fills")
                .description("Values written into a tier after a miss; rejected = dropped by fencing")
                .tag("tier", name(tier)).tag("kind", kind.name()).tag("outcome", outcome).register(registry);
    }
}
