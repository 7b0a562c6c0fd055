package dev.commitcast.api.data;

/** An organisation, role, user or permission named in the request does not exist: 404. */
public final class NotFoundException extends ApiException {

    /** Creates the exception; {@code detail} names what is missing, e.g. {@code "org 42 not found"}. */
    public NotFoundException(String detail) {
        super(detail, null, null);
    }
}
