package dev.commitcast.api.cache;

/**
 * Whether the caches may be used right now. When not, {@link TieredCache} serves from Postgres and answers
 * {@code X-Cache: BYPASS}. Implementations must be cheap and thread-safe: it is asked on every read.
 */
public interface CacheTrust {

    /** Returns whether cached values are fresh enough to be served. */
    boolean trusted();
}
