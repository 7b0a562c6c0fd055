package dev.commitcast.client;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.Namespace;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;

/**
 * The one way to evict from this instance's L1: the broadcast listener, {@link CommitcastClient#invalidate} and
 * operators call it. Each eviction first marks matching in-flight loads stale, then removes the entries, so a value
 * read before the eviction cannot be filled into L1 after it (see {@link L1Cache#fill}).
 *
 * <p>When a call returns, no matching entry is in L1 and no load that began before the call can add one.
 * Counters: {@code commitcast_l1_evictions_total{scope}}, {@code commitcast_l1_flushes_total{reason}}. Thread-safe.
 */
final class L1Evictions {

    private static final Logger LOG = LoggerFactory.getLogger(L1Evictions.class);

    private final L1Cache l1;
    private final SingleFlight flights;
    private final MeterRegistry registry;
    private final Counter keyEvictions;
    private final Counter namespaceEvictions;

    L1Evictions(L1Cache l1, SingleFlight flights, MeterRegistry registry) {
        this.l1 = l1;
        this.flights = flights;
        this.registry = registry;
        this.keyEvictions = evictions(registry, "key");
        this.namespaceEvictions = evictions(registry, "namespace");
    }

    /** Evicts the keys. */
    void evict(Collection<CacheKey> keys) {
        for (CacheKey key : keys) {
            flights.markStale(key);
            l1.evict(key);
        }
        keyEvictions.increment(keys.size());
    }

    /** Evicts every key of the namespace. */
    void evict(Namespace namespace) {
        flights.markStale(namespace);
        l1.evict(namespace);
        namespaceEvictions.increment();
    }

    /**
     * Evicts everything.
     *
     * @param reason a short tag value saying why, e.g. {@code gap}, {@code resubscribed}, {@code broadcast}
     */
    void flushAll(String reason) {
        l1.flush();
        flights.markAllStale();
        Counter.builder("commitcast.l1.flushes").description("Whole-L1 flushes, by reason")
                .tag("reason", reason).register(registry).increment();
        LOG.info("L1 flushed: reason={}; the next reads of every key go to L2 or the source", reason);
    }

    /** Returns the number of L1 entries (estimate). */
    long size() {
        return l1.size();
    }

    /** Returns the weight of L1 in bytes (approximate). */
    long weight() {
        return l1.weight();
    }

    private static Counter evictions(MeterRegistry registry, String scope) {
        return Counter.builder("commitcast.l1.evictions").description("L1 evictions applied, by scope")
                .tag("scope", scope).register(registry);
    }
}
