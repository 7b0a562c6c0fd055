package dev.commitcast.api.http;

import dev.commitcast.api.data.ApiException;
import dev.commitcast.api.data.ConflictException;
import dev.commitcast.api.data.DataUnavailableException;
import dev.commitcast.api.data.InvalidFieldException;
import dev.commitcast.api.data.NotFoundException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.json.JsonSyntaxException;
import io.micronaut.serde.exceptions.InvalidPropertyFormatException;
import io.micronaut.validation.exceptions.ConstraintExceptionHandler;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The API's exception handlers: every error becomes an {@code application/problem+json} {@link Problem}.
 * {@link ApiException}s map by type (404, 409, 400 naming the field, 503), bean-validation failures to 400 naming
 * each field, a database read exceeding {@code commitcast.db.query-timeout} to 503, and every error Micronaut itself
 * reports (malformed JSON, unconvertible parameters, unknown routes) passes through {@link Processor}.
 */
public final class ProblemHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandlers.class);

    private ProblemHandlers() {
    }

    /** Returns a problem response. */
    static MutableHttpResponse<Problem> respond(Problem problem) {
        return HttpResponse.<Problem>status(HttpStatus.valueOf(problem.status())).body(problem)
                .contentType(Problem.MEDIA_TYPE);
    }

    /** Maps the API's own exceptions. */
    @Singleton
    static final class ApiExceptions implements ExceptionHandler<ApiException, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, ApiException e) {
            HttpStatus status = switch (e) {
                case NotFoundException notFound -> HttpStatus.NOT_FOUND;
                case ConflictException conflict -> HttpStatus.CONFLICT;
                case InvalidFieldException invalid -> HttpStatus.BAD_REQUEST;
                case DataUnavailableException unavailable -> HttpStatus.SERVICE_UNAVAILABLE;
            };
            if (status == HttpStatus.SERVICE_UNAVAILABLE) {
                LOG.warn("{} {} answered 503: {}", request.getMethodName(), request.getPath(), e.getMessage());
            }
            if (status == HttpStatus.BAD_REQUEST && e.field() != null) {
                return respond(Problem.invalid(List.of(new Problem.FieldError(e.field(), e.getMessage()))));
            }
            return respond(Problem.of(status, e.getMessage(), e.field()));
        }
    }

    /** Maps a database read that exceeded {@code commitcast.db.query-timeout}. */
    @Singleton
    static final class Timeouts implements ExceptionHandler<TimeoutException, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, TimeoutException e) {
            LOG.warn("{} {} answered 503: database read exceeded commitcast.db.query-timeout",
                    request.getMethodName(), request.getPath());
            return respond(Problem.of(HttpStatus.SERVICE_UNAVAILABLE,
                    "database unavailable: read timed out (commitcast.db.query-timeout)", null));
        }
    }

    /** Maps bean-validation failures of bodies and parameters to 400, naming every field. */
    @Singleton
    @Replaces(ConstraintExceptionHandler.class)
    static final class Violations implements ExceptionHandler<ConstraintViolationException, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, ConstraintViolationException e) {
            List<Problem.FieldError> errors = new ArrayList<>();
            for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
                errors.add(new Problem.FieldError(leaf(violation.getPropertyPath()), violation.getMessage()));
            }
            errors.sort(Comparator.comparing(error -> String.valueOf(error.field())));
            return respond(Problem.invalid(errors));
        }

        private static String leaf(Path path) {
            String name = null;
            for (Path.Node node : path) {
                name = node.getName();
            }
            return name;
        }
    }

    /**
     * Formats the errors Micronaut reports itself (malformed JSON, missing body, unconvertible path or query
     * parameters, unknown routes, unsupported methods) as problems. A body that is not JSON is described without
     * parser internals; a JSON value of the wrong type names its property.
     */
    @Singleton
    static final class Processor implements ErrorResponseProcessor<Problem> {
        @Override
        public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
            HttpStatus status = response.getStatus();
            Problem.FieldError error = bodyError(context.getRootCause().orElse(null));
            if (error == null && context.hasErrors()) {
                Error first = context.getErrors().getFirst();
                error = new Problem.FieldError(first.getPath().map(ProblemHandlers::stripSlash).orElse(null),
                        firstLine(first.getMessage()));
            }
            if (error == null) {
                error = new Problem.FieldError(null, status.getReason());
            }
            Problem problem = status == HttpStatus.BAD_REQUEST ? Problem.invalid(List.of(error))
                    : Problem.of(status, error.message(), error.field());
            return response.status(status, status.getReason()).body(problem).contentType(Problem.MEDIA_TYPE);
        }

        private static Problem.FieldError bodyError(Throwable root) {
            for (Throwable t = root; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof JsonSyntaxException) {
                    return new Problem.FieldError(null, "malformed JSON body: " + firstLine(t.getMessage()));
                }
                if (t instanceof InvalidPropertyFormatException invalid) {
                    return new Problem.FieldError(invalid.getArgument().getName(), "cannot be read as "
                            + invalid.getArgument().getType().getSimpleName() + ": "
                            + firstLine(invalid.getCause() == null ? invalid.getMessage()
                            : invalid.getCause().getMessage()));
                }
            }
            return null;
        }
    }

    private static String stripSlash(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
