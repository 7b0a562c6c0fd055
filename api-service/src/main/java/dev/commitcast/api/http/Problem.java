package dev.commitcast.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * An RFC 9457 problem document, answered as {@code application/problem+json} for every error.
 *
 * @param type   a URI identifying the kind of problem
 * @param title  the status reason phrase
 * @param status the HTTP status code
 * @param detail what went wrong, for this occurrence
 * @param field  the request field at fault (JSON property, path or query parameter), if one is
 * @param errors every field error, when validation found several
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, @Nullable String field,
                      @Nullable List<FieldError> errors) {

    /** The media type of problem documents. */
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://commitcast.dev/problems/";

    /**
     * One invalid field.
     *
     * @param field   the field
     * @param message why it is invalid
     */
    @Serdeable
    public record FieldError(@Nullable String field, String message) {
    }

    /** Returns a problem of the given status. */
    public static Problem of(HttpStatus status, String detail, @Nullable String field) {
        return new Problem(TYPE_BASE + slug(status), status.getReason(), status.getCode(), detail, field, null);
    }

    /** Returns a 400 problem listing field errors; {@code field} is the first one's. */
    public static Problem invalid(List<FieldError> errors) {
        FieldError first = errors.getFirst();
        String detail = errors.size() == 1 ? describe(first)
                : errors.size() + " invalid fields: " + String.join("; ", errors.stream().map(Problem::describe)
                        .toList());
        return new Problem(TYPE_BASE + slug(HttpStatus.BAD_REQUEST), HttpStatus.BAD_REQUEST.getReason(), 400, detail,
                first.field(), List.copyOf(errors));
    }

    private static String describe(FieldError error) {
        return error.field() == null ? error.message() : error.field() + ": " + error.message();
    }

    private static String slug(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "invalid-request";
            case NOT_FOUND -> "not-found";
            case CONFLICT -> "conflict";
            case SERVICE_UNAVAILABLE -> "unavailable";
            default -> "http-" + status.getCode();
        };
    }
}
