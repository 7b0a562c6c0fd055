package dev.commitcast.api.cache;

/**
 * L2 could not be asked: the circuit is open or Redis has not connected yet. Retriable; the read falls back to
 * Postgres and no call reached Redis.
 */
final class L2UnavailableException extends RuntimeException {

    L2UnavailableException(String reason) {
        super(reason, null, false, false);
    }
}
