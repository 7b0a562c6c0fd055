package dev.commitcast.api.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.commitcast.api.config.CommitcastConfig;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.KeyKind;
import dev.commitcast.core.Namespace;
import dev.commitcast.core.Rules;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-process tier: a Caffeine cache bounded by the weight (bytes) of its values, each entry living for its kind's
 * TTL capped by {@code commitcast.cache.l1.max-ttl} (cached 404s for at most the kind's negative TTL).
 *
 * <p>Fills are fenced: {@link #fill} stores a value only if its {@link SingleFlight.Flight} was not marked stale and
 * no {@link #flush} happened since the load began, checked atomically with the store, so a value read before an
 * eviction can never land in the cache after it. Thread-safe.
 */
@Singleton
final class L1Cache {

    private final Cache<CacheKey, CachedValue> cache;
    private final AtomicLong flushEpoch = new AtomicLong();

    /** Creates the configured cache and registers its size and weight gauges. */
    @Inject
    L1Cache(CommitcastConfig config, Rules rules, MeterRegistry registry) {
        this(config.cache().l1().maxWeight(), rules, config.cache().l1().maxTtl());
        Gauge.builder("commitcast.l1.size", this, L1Cache::size)
                .description("Entries in the L1 cache").register(registry);
        Gauge.builder("commitcast.l1.weight", this, L1Cache::weight).baseUnit("bytes")
                .description("Weight (approximate bytes) of the L1 cache").register(registry);
    }

    L1Cache(long maxWeightBytes, Rules rules, java.time.Duration maxTtl) {
        long[] found = new long[rules.kinds().size()];
        long[] missing = new long[found.length];
        for (KeyKind kind : rules.kinds()) {
            found[kind.index()] = l1Ttl(kind, maxTtl).toNanos();
            missing[kind.index()] = Math.min(found[kind.index()], kind.negativeTtl().toNanos());
        }
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxWeightBytes)
                .weigher((CacheKey key, CachedValue value) -> value.weight())
                .expireAfter(new Expiry<CacheKey, CachedValue>() {
                    @Override
                    public long expireAfterCreate(CacheKey key, CachedValue value, long now) {
                        return (value.found() ? found : missing)[key.kind().index()];
                    }

                    @Override
                    public long expireAfterUpdate(CacheKey key, CachedValue value, long now, long current) {
                        return expireAfterCreate(key, value, now);
                    }

                    @Override
                    public long expireAfterRead(CacheKey key, CachedValue value, long now, long current) {
                        return current;
                    }
                })
                .build();
    }

    /** Returns the L1 TTL of a kind: its (L2) TTL, at most {@code maxTtl}; never jittered. */
    static java.time.Duration l1Ttl(KeyKind kind, java.time.Duration maxTtl) {
        return kind.ttl().compareTo(maxTtl) <= 0 ? kind.ttl() : maxTtl;
    }

    /** Returns the cached value, or {@code null}. */
    CachedValue get(CacheKey key) {
        return cache.getIfPresent(key);
    }

    /** Returns the current flush epoch, to be captured when a load begins. */
    long epoch() {
        return flushEpoch.get();
    }

    /** Stores the loaded value unless the load went stale; returns whether it was stored. */
    boolean fill(SingleFlight.Flight flight, CachedValue value) {
        boolean[] stored = {false};
        cache.asMap().compute(flight.key(), (key, old) -> {
            if (flight.isStale() || flight.epoch() != flushEpoch.get()) {
                return old;
            }
            stored[0] = true;
            return value;
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
