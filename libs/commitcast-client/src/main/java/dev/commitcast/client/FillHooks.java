package dev.commitcast.client;

import dev.commitcast.core.CacheKey;

/**
 * Observation points between the steps of a cache fill, so that races between a read and an invalidation can be
 * reproduced deterministically. The production implementation is {@link #NONE}; a test sets its own
 * ({@link CommitcastClient.Builder#fillHooks}) to block at a step until it has invalidated the key.
 *
 * <p>{@link #beforeDatabaseRead} and {@link #afterDatabaseRead} run on a loader thread; {@link #beforeL1Fill}
 * runs on the thread that completed the read (a loader thread, or a Redis I/O thread after an L2 hit), so an
 * implementation blocking there must not wait for Redis.
 */
public interface FillHooks {

    /** Does nothing at every step. */
    FillHooks NONE = new FillHooks() {
    };

    /** Called after the L2 lease was taken (or L2 was skipped), before the loader runs. */
    default void beforeDatabaseRead(CacheKey key) {
    }

    /** Called after the loader returned, before the value is filled into L2 and L1. */
    default void afterDatabaseRead(CacheKey key) {
    }

    /** Called just before the fenced L1 fill. */
    default void beforeL1Fill(CacheKey key) {
    }
}
