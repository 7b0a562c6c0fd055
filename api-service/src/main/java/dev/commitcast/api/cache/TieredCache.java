package dev.commitcast.api.cache;

import dev.commitcast.api.config.CommitcastConfig;
import dev.commitcast.api.perf.CacheMetrics;
import dev.commitcast.api.perf.CacheMetrics.Bypass;
import dev.commitcast.api.perf.CacheMetrics.Fallback;
import dev.commitcast.api.perf.CacheMetrics.Tier;
import dev.commitcast.core.CacheKey;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Read-through L1 (Caffeine) → L2 (Redis, fenced fills) → Postgres. The API's one way to read a cacheable value.
 *
 * <p>Threads: an L1 hit completes on the calling (event-loop) thread with an already-completed stage. A miss joins or
 * begins the key's single flight; L2 is asked asynchronously (completion on a Redis I/O thread) and Postgres is read
 * on the {@code database} executor, bounded, with {@code commitcast.db.query-timeout}. Nothing here blocks the caller.
 *
 * <p>Consistency: an L2 fill is stored only while this reader's lease survives (an invalidation deletes it); an L1
 * fill only if no eviction of the key, or flush, arrived since the load began. The stage completes after both fills
 * were attempted. Redis failures fall back to Postgres and are counted; Postgres failures fail the stage.
 * Thread-safe.
 */
@Singleton
public final class TieredCache {

    private static final Logger LOG = LoggerFactory.getLogger(TieredCache.class);

    private final L1Cache l1;
    private final SingleFlight flights;
    private final L2Store l2;
    private final ValueLoader loader;
    private final Executor database;
    private final FillHooks hooks;
    private final CacheTrust trust;
    private final CacheMetrics metrics;
    private final boolean enabled;
    private final boolean l1Enabled;
    private final boolean l2Enabled;
    private final long queryTimeoutNanos;

    TieredCache(L1Cache l1, SingleFlight flights, L2Store l2, ValueLoader loader, @Named("database") Executor database,
                FillHooks hooks, CacheTrust trust, CacheMetrics metrics, CommitcastConfig config) {
        this.l1 = l1;
        this.flights = flights;
        this.l2 = l2;
        this.loader = loader;
        this.database = database;
        this.hooks = hooks;
        this.trust = trust;
        this.metrics = metrics;
        this.enabled = config.cache().enabled();
        this.l1Enabled = config.cache().l1().enabled();
        this.l2Enabled = config.cache().l2().enabled();
        this.queryTimeoutNanos = config.db().queryTimeout().toNanos();
    }

    /** Returns the value of the key and the tier that answered; see the class documentation. */
    public CompletionStage<Lookup> get(CacheKey key) {
        if (!enabled) {
            metrics.bypass(Bypass.DISABLED);
            return bypass(key);
        }
        if (!trust.trusted()) {
            metrics.bypass(Bypass.STALE);
            return bypass(key);
        }
        if (l1Enabled) {
            CachedValue hit = l1.get(key);
            if (hit != null) {
                metrics.hit(Tier.L1, key.kind());
                return CompletableFuture.completedFuture(new Lookup(hit, Lookup.Source.L1));
            }
            metrics.miss(Tier.L1, key.kind());
        }
        SingleFlight.Ticket ticket = flights.begin(key, l1.epoch());
        SingleFlight.Flight flight = ticket.flight();
        if (!ticket.leader()) {
            metrics.join(key.kind());
            return flight.result().copy();
        }
        CompletionStage<Lookup> load;
        try {
            load = lead(flight);
        } catch (RuntimeException e) {
            load = CompletableFuture.failedFuture(e);  // never leave a flight unfinished: joiners would wait forever
        }
        load.whenComplete((lookup, error) -> {
            flights.finish(flight);
            if (error != null) {
                flight.result().completeExceptionally(unwrap(error));
            } else {
                flight.result().complete(lookup);
            }
        });
        return flight.result().copy();
    }

    /** Returns the state of the L2 circuit breaker. */
    public CircuitBreaker.State l2Circuit() {
        return l2.breaker().state();
    }

    /** Returns whether the shared Redis connection is open. */
    public boolean l2Connected() {
        return l2.connected();
    }

    /** Returns the number of loads in flight. */
    public int loadsInFlight() {
        return flights.size();
    }

    /** Returns whether caching is switched on ({@code commitcast.cache.enabled}). */
    public boolean enabled() {
        return enabled;
    }

    private CompletionStage<Lookup> lead(SingleFlight.Flight flight) {
        return lead(flight, true);
    }

    /**
     * @param mayDiscard whether an undecodable L2 value may be deleted and the lease taken again (once per read, so
     *                   a writer of garbage cannot make a read loop)
     */
    private CompletionStage<Lookup> lead(SingleFlight.Flight flight, boolean mayDiscard) {
        CacheKey key = flight.key();
        if (!l2Enabled) {
            return loadFromDatabase(flight, null);
        }
        return l2.lease(key).handle((lease, error) -> {
            if (error != null) {
                Fallback reason = fallbackReason(unwrap(error), key);
                metrics.fallback(reason);
                if (reason == Fallback.CORRUPT_VALUE && mayDiscard) {
                    return l2.discard(key).handle((deleted, discardError) -> discardError == null
                            ? lead(flight, false) : loadFromDatabase(flight, null)).thenCompose(next -> next);
                }
                return loadFromDatabase(flight, null);
            }
            return switch (lease) {
                case L2Store.Lease.Hit hit -> {
                    metrics.hit(Tier.L2, key.kind());
                    fillL1(flight, hit.value());
                    yield CompletableFuture.completedFuture(new Lookup(hit.value(), Lookup.Source.L2));
                }
                case L2Store.Lease.Busy busy -> {
                    metrics.miss(Tier.L2, key.kind());
                    metrics.leaseBusy(key.kind());
                    yield loadFromDatabase(flight, null);
                }
                case L2Store.Lease.Granted granted -> {
                    metrics.miss(Tier.L2, key.kind());
                    yield loadFromDatabase(flight, granted.token());
                }
            };
        }).thenCompose(stage -> stage);
    }

    /** Reads Postgres, then fills L2 (when holding a lease) and L1; {@code leaseToken} null = no L2 fill. */
    private CompletionStage<Lookup> loadFromDatabase(SingleFlight.Flight flight, String leaseToken) {
        CacheKey key = flight.key();
        return read(key, true).thenCompose(value -> fillL2(key, leaseToken, value).thenApply(ignored -> {
            fillL1(flight, value);
            return new Lookup(value, Lookup.Source.MISS);
        }));
    }

    private CompletionStage<Lookup> bypass(CacheKey key) {
        return read(key, false).thenApply(value -> new Lookup(value, Lookup.Source.BYPASS));
    }

    private CompletableFuture<CachedValue> read(CacheKey key, boolean withHooks) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                if (withHooks) {
                    hooks.beforeDatabaseRead(key);
                }
                CachedValue value = loader.load(key);
                if (withHooks) {
                    hooks.afterDatabaseRead(key);
                }
                return value;
            }, database).orTimeout(queryTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException rejected) {
            return CompletableFuture.failedFuture(rejected);
        }
    }

    private CompletionStage<Void> fillL2(CacheKey key, String leaseToken, CachedValue value) {
        if (leaseToken == null) {
            return CompletableFuture.completedFuture(null);
        }
        return l2.fill(key, leaseToken, value).handle((stored, error) -> {
            if (error != null) {
                LOG.debug("L2 fill of {} failed: {}; the value is served but not cached in Redis", key,
                        error.getMessage());
            } else if (stored) {
                metrics.fillStored(Tier.L2, key.kind());
            } else {
                metrics.fillRejected(Tier.L2, key.kind());
            }
            return null;
        });
    }

    private void fillL1(SingleFlight.Flight flight, CachedValue value) {
        if (!l1Enabled) {
            return;
        }
        hooks.beforeL1Fill(flight.key());
        if (l1.fill(flight, value)) {
            metrics.fillStored(Tier.L1, flight.key().kind());
        } else {
            metrics.fillRejected(Tier.L1, flight.key().kind());
        }
    }

    private Fallback fallbackReason(Throwable error, CacheKey key) {
        if (error instanceof L2UnavailableException) {
            return Fallback.L2_UNAVAILABLE;
        }
        if (error instanceof IllegalArgumentException) {
            LOG.warn("Undecodable L2 value at {}: {}; deleting it and refilling from Postgres", key,
                    error.getMessage());
            return Fallback.CORRUPT_VALUE;
        }
        LOG.debug("L2 lease of {} failed: {}; serving from Postgres", key, error.toString());
        return Fallback.L2_ERROR;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while (current instanceof CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
