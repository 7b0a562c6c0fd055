package dev.commitcast.api.data;

/** A request value is not acceptable: 400, naming the field. */
public final class InvalidFieldException extends ApiException {

    /** Creates the exception for one field. */
    public InvalidFieldException(String field, String detail) {
        super(detail, field, null);
    }

    /** Creates the exception for one field, keeping the database's rejection as the cause. */
    public InvalidFieldException(String field, String detail, Throwable cause) {
        super(detail, field, cause);
    }
}
