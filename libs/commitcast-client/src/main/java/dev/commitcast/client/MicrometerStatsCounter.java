package dev.commitcast.client;

import dev.commitcast.core.KeyKind;
import dev.commitcast.core.Rules;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@link StatsCounter} that exports Micrometer counters, registered once and kept in arrays so the hot path
 * increments without a lookup. Each count is a {@link LongAdder} exported as a {@link FunctionCounter}: an increment
 * is one uncontended add, where a registered {@code Counter} in Micronaut's composite registry walks its child
 * registries on every increment (~2 % of an L1 hit's CPU in the read API; docs/benchmarks.md, issue 13.5).
 * Names (Prometheus form): {@code commitcast_cache_requests_total{tier,kind,result}},
 * {@code commitcast_cache_fills_total{tier,kind,outcome}}, {@code commitcast_cache_singleflight_joins_total{kind}},
 * {@code commitcast_cache_lease_busy_total{kind}}, {@code commitcast_cache_fallbacks_total{reason}},
 * {@code commitcast_cache_bypass_total{reason}}. The read methods ({@link #hits}, …) return the counts, for status
 * pages and tests. Thread-safe.
 */
public final class MicrometerStatsCounter implements StatsCounter {

    private static final int TIERS = Tier.values().length;

    private final List<KeyKind> kinds;
    private final int kindCount;
    private final LongAdder[] hits;
    private final LongAdder[] misses;
    private final LongAdder[] stored;
    private final LongAdder[] rejected;
    private final LongAdder[] joins;
    private final LongAdder[] busy;
    private final Map<Fallback, LongAdder> fallbacks = new EnumMap<>(Fallback.class);
    private final Map<Bypass, LongAdder> bypasses = new EnumMap<>(Bypass.class);

    /** Registers every counter, for every kind of the rules. */
    public MicrometerStatsCounter(MeterRegistry registry, Rules rules) {
        kinds = rules.kinds();
        kindCount = kinds.size();
        hits = new LongAdder[TIERS * kindCount];
        misses = new LongAdder[TIERS * kindCount];
        stored = new LongAdder[TIERS * kindCount];
        rejected = new LongAdder[TIERS * kindCount];
        joins = new LongAdder[kindCount];
        busy = new LongAdder[kindCount];
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
            joins[kind.index()] = count(registry, "commitcast.cache.singleflight.joins",
                    "Reads that joined an in-flight load of the same key instead of loading it", "kind", kind.name());
            busy[kind.index()] = count(registry, "commitcast.cache.lease.busy",
                    "L2 misses that found another reader's fill lease and loaded without filling", "kind", kind.name());
        }
        for (Fallback reason : Fallback.values()) {
            fallbacks.put(reason, count(registry, "commitcast.cache.fallbacks",
                    "Reads that could not use L2 and were served from the source",
                    "reason", StatsCounter.tagValue(reason)));
        }
        for (Bypass reason : Bypass.values()) {
            bypasses.put(reason, count(registry, "commitcast.cache.bypass",
                    "Reads served from the source ignoring both caches",
                    "reason", StatsCounter.tagValue(reason)));
        }
    }

    @Override
    public void recordHit(Tier tier, KeyKind kind) {
        hits[index(tier, kind)].add(1);
    }

    @Override
    public void recordMiss(Tier tier, KeyKind kind) {
        misses[index(tier, kind)].add(1);
    }

    @Override
    public void recordFill(Tier tier, KeyKind kind, boolean wasStored) {
        (wasStored ? stored : rejected)[index(tier, kind)].add(1);
    }

    @Override
    public void recordJoin(KeyKind kind) {
        joins[kind.index()].add(1);
    }

    @Override
    public void recordLeaseBusy(KeyKind kind) {
        busy[kind.index()].add(1);
    }

    @Override
    public void recordFallback(Fallback reason) {
        fallbacks.get(reason).add(1);
    }

    @Override
    public void recordBypass(Bypass reason) {
        bypasses.get(reason).add(1);
    }

    /** Returns the hit count of a tier and kind. */
    public long hits(Tier tier, KeyKind kind) {
        return hits[index(tier, kind)].sum();
    }

    /** Returns the miss count of a tier and kind. */
    public long misses(Tier tier, KeyKind kind) {
        return misses[index(tier, kind)].sum();
    }

    /** Returns the stored fills of a tier and kind. */
    public long fillsStored(Tier tier, KeyKind kind) {
        return stored[index(tier, kind)].sum();
    }

    /** Returns the rejected fills of a tier and kind. */
    public long fillsRejected(Tier tier, KeyKind kind) {
        return rejected[index(tier, kind)].sum();
    }

    /** Returns the single-flight joins of a kind. */
    public long joins(KeyKind kind) {
        return joins[kind.index()].sum();
    }

    /** Returns the busy leases of a kind. */
    public long leasesBusy(KeyKind kind) {
        return busy[kind.index()].sum();
    }

    /** Returns the fallbacks for a reason. */
    public long fallbacks(Fallback reason) {
        return fallbacks.get(reason).sum();
    }

    /** Returns the bypasses for a reason. */
    public long bypasses(Bypass reason) {
        return bypasses.get(reason).sum();
    }

    /** Returns the kinds counted, in declaration order. */
    public List<KeyKind> kinds() {
        return kinds;
    }

    private int index(Tier tier, KeyKind kind) {
        return tier.ordinal() * kindCount + kind.index();
    }

    private static LongAdder request(MeterRegistry registry, Tier tier, KeyKind kind, String result) {
        return count(registry, "commitcast.cache.requests", "Cache lookups per tier and key kind",
                "tier", StatsCounter.tagValue(tier), "kind", kind.name(), "result", result);
    }

    private static LongAdder fill(MeterRegistry registry, Tier tier, KeyKind kind, String outcome) {
        return count(registry, "commitcast.cache.fills",
                "Values written into a tier after a miss; rejected = dropped by fencing",
                "tier", StatsCounter.tagValue(tier), "kind", kind.name(), "outcome", outcome);
    }

    /** Registers a counter read from a new adder (kept strongly here: Micrometer holds the adder weakly). */
    private static LongAdder count(MeterRegistry registry, String name, String description, String... tags) {
        LongAdder adder = new LongAdder();
        FunctionCounter.builder(name, adder, LongAdder::doubleValue).description(description).tags(tags)
                .register(registry);
        return adder;
    }
}
