package dev.commitcast.client;

import dev.commitcast.client.StatsCounter.Bypass;
import dev.commitcast.client.StatsCounter.Fallback;
import dev.commitcast.client.StatsCounter.Tier;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.KeyKind;
import dev.commitcast.core.Watermark;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Read-through L1 (Caffeine) → L2 (Redis, fenced fills) → the source, for the values of some kinds of the rules, with
 * one {@link ValueCodec}. Made by {@link CommitcastClient#cache}; each kind belongs to at most one cache.
 *
 * <p>Threads: an L1 hit completes on the calling thread with an already-completed stage. A miss joins or begins the
 * key's single flight; L2 is asked asynchronously (completion on a Redis I/O thread) and the {@link Loader} runs on
 * the client's loader executor, bounded by the load timeout. {@link #getAsync} and {@link #lookup} never block the
 * caller; {@link #get} waits for them.
 *
 * <p>Consistency: an L2 fill is stored only while this reader's lease and the generations it recorded survive (an
 * invalidation of the key or of a namespace holding it ends it); an L1 fill only if no eviction of the key, or flush,
 * arrived since the load began. The stage completes after both fills were attempted. Redis failures fall back to the
 * loader and are counted; loader failures fail the stage. Concurrent reads of one key share one load: the first
 * caller's loader runs, the others receive its value. Thread-safe.
 *
 * @param <V> the value type
 */
public final class TieredCache<V> {

    private static final Logger LOG = LoggerFactory.getLogger(TieredCache.class);

    private final CommitcastClient client;
    private final ValueCodec<V> codec;
    private final List<KeyKind> kinds;
    private final KeyKind[] served;

    TieredCache(CommitcastClient client, ValueCodec<V> codec, List<KeyKind> kinds, int kindCount) {
        this.client = client;
        this.codec = codec;
        this.kinds = List.copyOf(kinds);
        this.served = new KeyKind[kindCount];
        for (KeyKind kind : kinds) {
            served[kind.index()] = kind;
        }
    }

    /** Returns the kinds this cache serves, in the order they were given. */
    public List<KeyKind> kinds() {
        return kinds;
    }

    /**
     * Returns the value of the key, waiting for a load if the caches miss; {@code null} when it does not exist.
     *
     * @throws CacheLoadException wrapping a checked exception of the loader, or a load timeout
     * @throws RuntimeException   an unchecked exception of the loader, as thrown
     */
    public V get(CacheKey key, Loader<? extends V> loader) {
        return join(lookup(key, loader), key).value();
    }

    private static <T> T join(CompletionStage<T> stage, CacheKey key) {
        try {
            return stage.toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheLoadException("interrupted while reading " + key, e);
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e.getCause());
            if (cause instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new CacheLoadException("loading " + key + " failed: " + cause, cause);
        }
    }

    /** Returns the value of the key ({@code null} when it does not exist) without blocking; see {@link #lookup}. */
    public CompletionStage<V> getAsync(CacheKey key, Loader<? extends V> loader) {
        return lookup(key, loader).thenApply(Lookup::value);
    }

    /**
     * Returns the value of the key and the tier that answered, without blocking the caller. The stage fails with the
     * loader's exception, or a {@link java.util.concurrent.TimeoutException} after the load timeout.
     *
     * @throws IllegalArgumentException when the key's kind is not one of this cache's
     */
    public CompletionStage<Lookup<V>> lookup(CacheKey key, Loader<? extends V> loader) {
        Objects.requireNonNull(loader, "loader");
        KeyKind kind = key.kind();
        if (!serves(kind)) {
            throw new IllegalArgumentException("key " + key + " is of kind '" + kind.name() + "', this cache serves "
                    + kinds.stream().map(KeyKind::name).toList());
        }
        StatsCounter stats = client.stats();
        if (!client.settings().enabled()) {
            stats.recordBypass(Bypass.DISABLED);
            return bypass(key, loader);
        }
        if (!client.trust().trusted()) {
            stats.recordBypass(Bypass.STALE);
            return bypass(key, loader);
        }
        L1Cache l1 = client.l1();
        if (client.settings().l1Enabled()) {
            L1Cache.Entry hit = l1.get(key);
            if (hit != null) {
                stats.recordHit(Tier.L1, kind);
                return CompletableFuture.completedFuture(new Lookup<>(cast(hit.value()), Lookup.Source.L1));
            }
            stats.recordMiss(Tier.L1, kind);
        }
        SingleFlight.Ticket ticket = client.flights().begin(key, l1.epoch());
        SingleFlight.Flight flight = ticket.flight();
        if (!ticket.leader()) {
            stats.recordJoin(kind);
            return castLookup(flight.result().copy());
        }
        CompletionStage<Lookup<V>> load;
        try {
            load = lead(flight, loader, true);
        } catch (RuntimeException e) {
            load = CompletableFuture.failedFuture(e);  // never leave a flight unfinished: joiners would wait forever
        }
        load.whenComplete((lookup, error) -> {
            client.flights().finish(flight);
            if (error != null) {
                flight.result().completeExceptionally(unwrap(error));
            } else {
                flight.result().complete(lookup);
            }
        });
        return castLookup(flight.result().copy());
    }

    private boolean serves(KeyKind kind) {
        KeyKind own = kind.index() < served.length ? served[kind.index()] : null;
        return own == kind || (own != null && own.equals(kind));
    }

    /**
     * Read-your-writes: returns the value of the key as {@link #lookup(CacheKey, Loader)} does, once this instance has
     * applied the pipeline through {@code writeLsn} — the writer's {@code pg_current_wal_insert_lsn()} after its
     * commit (or an API's write token), in Postgres' text form {@code 0/1D88F10}. Until then the read waits, without
     * blocking, up to {@link CommitcastClient.Builder#readYourWritesWait}, then reads the source around the caches
     * ({@link Lookup.Source#BYPASS}, counted as {@code read_your_writes}). So the caller never sees a value older than
     * its write. {@code writeLsn} null reads as {@link #lookup(CacheKey, Loader)}.
     *
     * @throws IllegalArgumentException when {@code writeLsn} is not an LSN, or the key is not of this cache's kinds
     */
    public CompletionStage<Lookup<V>> lookup(CacheKey key, Loader<? extends V> loader, String writeLsn) {
        if (writeLsn == null) {
            return lookup(key, loader);
        }
        long lsn = Watermark.parsePgLsn(writeLsn);
        if (!serves(key.kind())) {
            return lookup(key, loader); // throws, naming the kinds
        }
        AppliedWatermark applied = client.applied();
        if (applied.passed(lsn)) {
            return lookup(key, loader);
        }
        return applied.await(lsn, client.settings().readYourWritesWait()).thenCompose(passed -> {
            if (passed) {
                return lookup(key, loader);
            }
            client.stats().recordBypass(Bypass.READ_YOUR_WRITES);
            return bypass(key, loader);
        });
    }

    /** {@link #get(CacheKey, Loader)} after this instance applied the pipeline through {@code writeLsn}. */
    public V get(CacheKey key, Loader<? extends V> loader, String writeLsn) {
        return join(lookup(key, loader, writeLsn), key).value();
    }

    /**
     * Loads keys into the caches through the normal read path (fenced and counted like any read), one at a time, so a
     * warm-up never competes with traffic for more than one loader; blocks the caller. It first waits (up to
     * {@code subscriptionWait}) for the eviction subscription, whose confirmation flushes L1 and would otherwise
     * discard what was warmed.
     *
     * @param perKeyTimeout how long to wait for each key before counting it failed
     */
    public WarmUp warm(Collection<CacheKey> keys, Loader<? extends V> loader, Duration subscriptionWait,
                       Duration perKeyTimeout) {
        long started = System.nanoTime();
        long deadline = started + subscriptionWait.toNanos();
        while (!client.status().subscribed() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        if (!client.status().subscribed()) {
            LOG.warn("Cache warm-up starts without the eviction subscription after {} ms; a later subscription "
                    + "flushes what was warmed", subscriptionWait.toMillis());
        }
        Map<Lookup.Source, Integer> sources = new EnumMap<>(Lookup.Source.class);
        int failed = 0;
        for (CacheKey key : keys) {
            try {
                Lookup<V> lookup = lookup(key, loader).toCompletableFuture()
                        .get(perKeyTimeout.toNanos(), TimeUnit.NANOSECONDS);
                sources.merge(lookup.source(), 1, Integer::sum);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warn("Cache warm-up interrupted after {} keys", sources.values().stream().mapToInt(i -> i).sum());
                break;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                failed++;
                LOG.warn("Cache warm-up of {} failed: {}; it will be loaded on first read", key,
                        e instanceof ExecutionException ? unwrap(e.getCause()).toString() : e.toString());
            }
        }
        return new WarmUp(sources, failed, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * @param mayDiscard whether an undecodable L2 value may be deleted and the lease taken again (once per read, so
     *                   a writer of garbage cannot make a read loop)
     */
    private CompletionStage<Lookup<V>> lead(SingleFlight.Flight flight, Loader<? extends V> loader,
                                            boolean mayDiscard) {
        CacheKey key = flight.key();
        if (!client.settings().l2Enabled()) {
            return loadFromSource(flight, loader, null);
        }
        L2Store l2 = client.l2();
        StatsCounter stats = client.stats();
        return l2.lease(key).handle((lease, error) -> {
            V hitValue = null;
            if (error == null && lease instanceof L2Store.Lease.Hit hit) {
                try {
                    hitValue = ValueEnvelope.decode(hit.envelope(), codec);
                } catch (RuntimeException undecodable) {
                    error = undecodable instanceof IllegalArgumentException ? undecodable
                            : new IllegalArgumentException(undecodable.toString(), undecodable);
                }
            }
            if (error != null) {
                Fallback reason = fallbackReason(unwrap(error), key);
                stats.recordFallback(reason);
                if (reason == Fallback.CORRUPT_VALUE && mayDiscard) {
                    return l2.discard(key).handle((deleted, discardError) -> discardError == null
                            ? lead(flight, loader, false) : loadFromSource(flight, loader, null))
                            .thenCompose(next -> next);
                }
                return loadFromSource(flight, loader, null);
            }
            return switch (lease) {
                case L2Store.Lease.Hit hit -> {
                    stats.recordHit(Tier.L2, key.kind());
                    fillL1(flight, hitValue);
                    yield CompletableFuture.completedFuture(new Lookup<>(hitValue, Lookup.Source.L2));
                }
                case L2Store.Lease.Busy busy -> {
                    stats.recordMiss(Tier.L2, key.kind());
                    stats.recordLeaseBusy(key.kind());
                    yield loadFromSource(flight, loader, null);
                }
                case L2Store.Lease.Granted granted -> {
                    stats.recordMiss(Tier.L2, key.kind());
                    yield loadFromSource(flight, loader, granted.token());
                }
            };
        }).thenCompose(stage -> stage);
    }

    /** Runs the loader, then fills L2 (when holding a lease) and L1; {@code leaseToken} null = no L2 fill. */
    private CompletionStage<Lookup<V>> loadFromSource(SingleFlight.Flight flight, Loader<? extends V> loader,
                                                      String leaseToken) {
        CacheKey key = flight.key();
        return load(key, loader, true).thenCompose(value -> fillL2(key, leaseToken, value).thenApply(ignored -> {
            fillL1(flight, value);
            return new Lookup<>(value, Lookup.Source.MISS);
        }));
    }

    private CompletionStage<Lookup<V>> bypass(CacheKey key, Loader<? extends V> loader) {
        return load(key, loader, false).thenApply(value -> new Lookup<>(value, Lookup.Source.BYPASS));
    }

    private CompletableFuture<V> load(CacheKey key, Loader<? extends V> loader, boolean withHooks) {
        FillHooks hooks = client.hooks();
        try {
            return CompletableFuture.supplyAsync(() -> {
                if (withHooks) {
                    hooks.beforeDatabaseRead(key);
                }
                V value;
                try {
                    value = loader.load(key);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
                if (withHooks) {
                    hooks.afterDatabaseRead(key);
                }
                return value;
            }, client.loaderExecutor()).orTimeout(client.settings().loadTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RuntimeException rejected) {
            return CompletableFuture.failedFuture(rejected);
        }
    }

    private CompletionStage<Void> fillL2(CacheKey key, String leaseToken, V value) {
        if (leaseToken == null) {
            return CompletableFuture.completedFuture(null);
        }
        byte[] envelope;
        try {
            envelope = ValueEnvelope.encode(value, codec);
        } catch (RuntimeException e) {
            LOG.warn("Encoding the value of {} failed: {}; served but not cached in Redis", key, e.toString());
            return CompletableFuture.completedFuture(null);
        }
        return client.l2().fill(key, leaseToken, envelope, value != null).handle((stored, error) -> {
            if (error != null) {
                LOG.debug("L2 fill of {} failed: {}; the value is served but not cached in Redis", key,
                        error.getMessage());
            } else {
                client.stats().recordFill(Tier.L2, key.kind(), stored);
            }
            return null;
        });
    }

    private void fillL1(SingleFlight.Flight flight, V value) {
        if (!client.settings().l1Enabled()) {
            return;
        }
        client.hooks().beforeL1Fill(flight.key());
        int weight = L1Cache.ENTRY_OVERHEAD + (value == null ? 0 : Math.max(0, codec.weigh(value)));
        boolean stored = client.l1().fill(flight, new L1Cache.Entry(value, weight));
        client.stats().recordFill(Tier.L1, flight.key().kind(), stored);
    }

    private static Fallback fallbackReason(Throwable error, CacheKey key) {
        if (error instanceof L2UnavailableException) {
            return Fallback.L2_UNAVAILABLE;
        }
        if (error instanceof IllegalArgumentException) {
            LOG.warn("Undecodable L2 value at {}: {}; deleting it and reloading it", key, error.getMessage());
            return Fallback.CORRUPT_VALUE;
        }
        LOG.debug("L2 lease of {} failed: {}; loading from the source", key, error.toString());
        return Fallback.L2_ERROR;
    }

    @SuppressWarnings("unchecked")
    private V cast(Object value) {
        return (V) value;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private CompletionStage<Lookup<V>> castLookup(CompletableFuture<Lookup<?>> stage) {
        return (CompletionStage) stage;
    }

    static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while (current instanceof CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
