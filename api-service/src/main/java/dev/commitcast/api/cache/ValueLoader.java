package dev.commitcast.api.cache;

import dev.commitcast.core.CacheKey;

/**
 * Reads the current value of a key from the source of truth and serializes it. Blocking: {@link TieredCache} calls
 * it on the database executor, never on the event loop.
 */
public interface ValueLoader {

    /**
     * Returns the value of the key: {@link CachedValue#found} (or a page) when the resource exists,
     * {@link CachedValue#notFound} with the 404 problem body when it does not.
     *
     * @throws RuntimeException when the database cannot answer (the read fails with 503)
     */
    CachedValue load(CacheKey key);
}
