package dev.commitcast.api.data;

/** The write would break a uniqueness rule (a user's email, a role's name within its organisation): 409. */
public final class ConflictException extends ApiException {

    /** Creates the exception for the conflicting field. */
    public ConflictException(String field, String detail, Throwable cause) {
        super(detail, field, cause);
    }
}
