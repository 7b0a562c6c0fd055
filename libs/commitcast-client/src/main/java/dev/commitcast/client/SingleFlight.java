package dev.commitcast.client;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.Namespace;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads of keys currently in flight in this instance, so that concurrent misses of one key share one load, and so
 * that an eviction arriving while a key is being loaded can {@linkplain Flight#markStale() mark} that load stale:
 * its result is still answered to the requests that asked before the eviction, but never filled into L1.
 *
 * <p>Thread-safe.
 */
final class SingleFlight {

    /** One in-flight load of a key. */
    static final class Flight {
        private final CacheKey key;
        private final long epoch;
        private final CompletableFuture<Lookup<?>> result = new CompletableFuture<>();
        private volatile boolean stale;

        Flight(CacheKey key, long epoch) {
            this.key = key;
            this.epoch = epoch;
        }

        CacheKey key() {
            return key;
        }

        /** The L1 flush epoch when the load began; a flush since then makes the load stale too. */
        long epoch() {
            return epoch;
        }

        CompletableFuture<Lookup<?>> result() {
            return result;
        }

        boolean isStale() {
            return stale;
        }

        void markStale() {
            stale = true;
        }
    }

    /**
     * The outcome of {@link #begin}.
     *
     * @param flight the load of the key
     * @param leader whether the caller created it and must perform the load
     */
    record Ticket(Flight flight, boolean leader) {
    }

    private final Map<CacheKey, Flight> inFlight = new ConcurrentHashMap<>();

    /** Joins the load of the key in flight, or begins one (the caller then leads it). */
    Ticket begin(CacheKey key, long epoch) {
        Flight created = new Flight(key, epoch);
        Flight existing = inFlight.putIfAbsent(key, created);
        return existing == null ? new Ticket(created, true) : new Ticket(existing, false);
    }

    /** Ends a load; later misses of the key begin a new one. */
    void finish(Flight flight) {
        inFlight.remove(flight.key(), flight);
    }

    /**
     * Marks the load of the key, if one is in flight, stale and detaches it: a read that begins after the eviction
     * starts a load of its own instead of joining one that may have read the value the eviction is about.
     */
    void markStale(CacheKey key) {
        Flight flight = inFlight.get(key);
        if (flight != null) {
            detach(flight);
        }
    }

    /** Marks every load of a key in the namespace stale and detaches it. */
    void markStale(Namespace namespace) {
        for (Flight flight : inFlight.values()) {
            if (namespace.matches(flight.key())) {
                detach(flight);
            }
        }
    }

    /** Marks every load in flight stale and detaches it. */
    void markAllStale() {
        inFlight.values().forEach(this::detach);
    }

    private void detach(Flight flight) {
        flight.markStale();
        inFlight.remove(flight.key(), flight);
    }

    /** Returns the number of loads in flight. */
    int size() {
        return inFlight.size();
    }
}
