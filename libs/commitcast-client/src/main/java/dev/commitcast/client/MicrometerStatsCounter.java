package dev.commitcast.client;

import dev.commitcast.core.KeyKind;
import dev.commitcast.core.Rules;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link StatsCounter} that exports Micrometer counters, registered once and kept in arrays so the hot path
 * increments without a lookup. Names (Prometheus form): {@code commitcast_cache_requests_total{tier,kind,result}},
 * {@code commitcast_cache_fills_total{tier,kind,outcome}}, {@code commitcast_cache_singleflight_joins_total{kind}},
 * {@code commitcast_cache_lease_busy_total{kind}}, {@code commitcast_cache_fallbacks_total{reason}},
 * {@code commitcast_cache_bypass_total{reason}}. The read methods ({@link #hits}, …) return the counts, for status
 * pages and tests. Thread-safe.
 */
public final class MicrometerStatsCounter implements StatsCounter {

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
    public MicrometerStatsCounter(MeterRegistry registry, Rules rules) {
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
                    .description("L2 misses that found another reader's fill lease and loaded without filling")
                    .tag("kind", kind.name()).register(registry);
        }
        for (Fallback reason : Fallback.values()) {
            fallbacks.put(reason, Counter.builder("commitcast.cache.fallbacks")
                    .description("Reads that could not use L2 and were served from the source")
                    .tag("reason", StatsCounter.tagValue(reason)).register(registry));
        }
        for (Bypass reason : Bypass.values()) {
            bypasses.put(reason, Counter.builder("commitcast.cache.bypass")
                    .description("Reads served from the source ignoring both caches")
                    .tag("reason", StatsCounter.tagValue(reason)).register(registry));
        }
    }

    @Override
    public void recordHit(Tier tier, KeyKind kind) {
        hits[index(tier, kind)].increment();
    }

    @Override
    public void recordMiss(Tier tier, KeyKind kind) {
        misses[index(tier, kind)].increment();
    }

    @Override
    public void recordFill(Tier tier, KeyKind kind, boolean wasStored) {
        (wasStored ? stored : rejected)[index(tier, kind)].increment();
    }

    @Override
    public void recordJoin(KeyKind kind) {
        joins[kind.index()].increment();
    }

    @Override
    public void recordLeaseBusy(KeyKind kind) {
        busy[kind.index()].increment();
    }

    @Override
    public void recordFallback(Fallback reason) {
        fallbacks.get(reason).increment();
    }

    @Override
    public void recordBypass(Bypass reason) {
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
                .tag("tier", StatsCounter.tagValue(tier)).tag("kind", kind.name()).tag("result", result)
                .register(registry);
    }

    private static Counter fill(MeterRegistry registry, Tier tier, KeyKind kind, String outcome) {
        return Counter.builder("commitcast.cache.fills")
                .description("Values written into a tier after a miss; rejected = dropped by fencing")
                .tag("tier", StatsCounter.tagValue(tier)).tag("kind", kind.name()).tag("outcome", outcome)
                .register(registry);
    }
}
