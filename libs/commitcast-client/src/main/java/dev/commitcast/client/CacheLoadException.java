package dev.commitcast.client;

/**
 * A synchronous read ({@link TieredCache#get}) failed with a checked exception of its loader, a load timeout, or an
 * interrupt; the cause says which. Nothing was cached.
 */
public final class CacheLoadException extends RuntimeException {

    CacheLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
