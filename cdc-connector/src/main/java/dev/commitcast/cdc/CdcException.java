package dev.commitcast.cdc;

/** Root of the connector's unchecked exceptions. */
public class CdcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CdcException(String message) {
        super(message);
    }

    public CdcException(String message, Throwable cause) {
        super(message, cause);
    }
}
