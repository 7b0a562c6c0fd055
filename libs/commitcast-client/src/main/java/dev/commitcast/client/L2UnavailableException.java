package dev.commitcast.client;

/**
 * L2 could not be asked: the circuit is open or Redis has not connected yet. Retriable; the read falls back to
 * the source of truth and no call reached Redis.
 */
public final class L2UnavailableException extends RuntimeException {

    L2UnavailableException(String reason) {
        super(reason, null, false, false);
    }
}
