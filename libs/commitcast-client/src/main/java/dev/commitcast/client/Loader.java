package dev.commitcast.client;

import dev.commitcast.core.CacheKey;

/**
 * Reads the current value of a key from the source of truth. Blocking: a {@link TieredCache} calls it on the
 * client's loader executor ({@link CommitcastClient.Builder#loaderExecutor}), never on a Redis I/O thread or the
 * caller's event loop.
 *
 * @param <V> the value type
 */
@FunctionalInterface
public interface Loader<V> {

    /**
     * Returns the value of the key, or {@code null} when it does not exist: an absent value is cached too (for the
     * kind's negative TTL), so that a create that follows is invalidated like any other change.
     *
     * @throws Exception when the source cannot answer; the read fails with it and nothing is cached
     */
    V load(CacheKey key) throws Exception;
}
