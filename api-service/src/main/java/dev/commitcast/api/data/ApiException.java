package dev.commitcast.api.data;

/**
 * Root of the errors the API reports to clients as problem documents. Each subtype maps to one HTTP status; the
 * message is the problem's {@code detail} and must be safe to show (no SQL, no stack traces).
 */
public abstract sealed class ApiException extends RuntimeException
        permits NotFoundException, ConflictException, InvalidFieldException, DataUnavailableException {

    private final String field;

    ApiException(String detail, String field, Throwable cause) {
        super(detail, cause);
        this.field = field;
    }

    /** Returns the request field the error is about (JSON property or path/query parameter), or {@code null}. */
    public String field() {
        return field;
    }
}
