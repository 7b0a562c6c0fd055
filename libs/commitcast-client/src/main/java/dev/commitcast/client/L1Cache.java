package dev.commitcast.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.KeyKind;
import dev.commitcast.core.Namespace;
import dev.commitcast.core.Rules;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-process tier: one Caffeine cache for every kind, bounded by the weight (bytes) of its values, each entry
 * living for its kind's TTL capped by the client's L1 maximum TTL (negative entries for at most the kind's negative
 * TTL). Never jittered: L1 TTLs are never longer than L2's.
 *
 * <p>Fills are fenced: {@link #fill} stores a value only if its {@link SingleFlight.Flight} was not marked stale and
 * no {@link #flush} happened since the load began, checked atomically with the store, so a value read before an
 * eviction can never land in the cache after it. Thread-safe.
 */
final class L1Cache {

    /** Rough per-entry overhead of the map node, key and entry, added to the value's weight. */
    static final int ENTRY_OVERHEAD = 160;

    /**
     * One cached value.
     *
     * @param value  the value, {@code null} for a negative entry
     * @param weight its weight in bytes, overhead included
     */
    record Entry(Object value, int weight) {
    }

    private final Cache<CacheKey, Entry> cache;
    private final AtomicLong flushEpoch = new AtomicLong();

    /** Creates the cache and registers its size and weight gauges. */
    L1Cache(long maxWeightBytes, Rules rules, Duration maxTtl, MeterRegistry registry) {
        this(maxWeightBytes, rules, maxTtl);
        Gauge.builder("commitcast.l1.size", this, L1Cache::size)
                .description("Entries in the L1 cache").register(registry);
        Gauge.builder("commitcast.l1.weight", this, L1Cache::weight).baseUnit("bytes")
                .description("Weight (approximate bytes) of the L1 cache").register(registry);
    }

    L1Cache(long maxWeightBytes, Rules rules, Duration maxTtl) {
        long[] found = new long[rules.kinds().size()];
        long[] missing = new long[found.length];
        for (KeyKind kind : rules.kinds()) {
            found[kind.index()] = l1Ttl(kind, maxTtl).toNanos();
            missing[kind.index()] = Math.min(found[kind.index()], kind.negativeTtl().toNanos());
        }
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxWeightBytes)
                .weigher((CacheKey key, Entry entry) -> entry.weight())
                .expireAfter(new Expiry<CacheKey, Entry>() {
                    @Override
                    public long expireAfterCreate(CacheKey key, Entry entry, long now) {
                        return (entry.value() != null ? found : missing)[key.kind().index()];
                    }

                    @Override
                    public long expireAfterUpdate(CacheKey key, Entry entry, long now, long current) {
                        return expireAfterCreate(key, entry, now);
                    }

                    @Override
                    public long expireAfterRead(CacheKey key, Entry entry, long now, long current) {
                        return current;
                    }
                })
                .build();
    }

    /** Returns the L1 TTL of a kind: its (L2) TTL, at most {@code maxTtl}; never jittered. */
    static Duration l1Ttl(KeyKind kind, Duration maxTtl) {
        return kind.ttl().compareTo(maxTtl) <= 0 ? kind.ttl() : maxTtl;
    }

    /** Returns the cached entry, or {@code null}. */
    Entry get(CacheKey key) {
        return cache.getIfPresent(key);
    }

    /** Returns the current flush epoch, to be captured when a load begins. */
    long epoch() {
        return flushEpoch.get();
    }

    /** Stores the loaded entry unless the load went stale; returns whether it was stored. */
    boolean fill(SingleFlight.Flight flight, Entry entry) {
        boolean[] stored = {false};
        cache.asMap().compute(flight.key(), (key, old) -> {
            if (flight.isStale() || flight.epoch() != flushEpoch.get()) {
                return old;
            }
            stored[0] = true;
            return entry;
        });
        return stored[0];
    }

    void evict(CacheKey key) {
        cache.invalidate(key);
    }

    void evict(Namespace namespace) {
        cache.asMap().keySet().removeIf(namespace::matches);
    }

    /** Drops everything; loads that began before return their values but cannot fill them. */
    void flush() {
        flushEpoch.incrementAndGet();
        cache.invalidateAll();
    }

    long size() {
        return cache.estimatedSize();
    }

    long weight() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }
}
