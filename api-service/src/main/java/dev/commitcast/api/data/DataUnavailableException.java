package dev.commitcast.api.data;

/**
 * Postgres cannot answer now (down, unreachable, pool exhausted, queue full, timed out): 503. Retriable; cached
 * values are still served.
 */
public final class DataUnavailableException extends ApiException {

    /** Creates the exception; {@code reason} says what failed, for the problem's detail. */
    public DataUnavailableException(String reason, Throwable cause) {
        super(reason, null, cause);
    }
}
