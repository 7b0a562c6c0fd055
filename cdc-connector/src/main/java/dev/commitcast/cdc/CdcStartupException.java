package dev.commitcast.cdc;

/**
 * The connector cannot start and retrying will not help: bad configuration, failed authentication, a Postgres server
 * not prepared for logical decoding, or a dependency still unreachable when {@link CdcSettings#startupTimeout()}
 * expired. The message says what is wrong and how to fix it; the process should exit non-zero.
 */
public class CdcStartupException extends CdcException {
    private static final long serialVersionUID = 1L;

    public CdcStartupException(String message) {
        super(message);
    }

    public CdcStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
