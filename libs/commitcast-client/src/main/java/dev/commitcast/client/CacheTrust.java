package dev.commitcast.client;

/**
 * Whether the caches may be used right now. When not, {@link TieredCache} serves from the loader and answers
 * {@link Lookup.Source#BYPASS}. Implementations must be cheap and thread-safe: it is asked on every read.
 */
interface CacheTrust {

    /** Returns whether cached values are fresh enough to be served. */
    boolean trusted();
}
