package dev.commitcast.cli.status;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * GETs a service's endpoints with a bounded timeout and never throws: a failure becomes a {@link Response} with
 * status 0 and a short reason ({@code connection refused}, {@code timed out after 2 s}). Thread-safe.
 */
final class HttpProbe {

    /** The answer: {@code status} 0 when there was none, then {@code error} says why. */
    record Response(int status, String body, String error) {
        boolean ok() {
            return status == 200;
        }

        String describe() {
            return error != null ? error : "HTTP " + status;
        }
    }

    private final HttpClient http;
    private final Duration timeout;

    HttpProbe(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    static HttpClient client(Duration connectTimeout) {
        return HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    CompletableFuture<Response> get(URI base, String path) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Response(r.statusCode(), r.body(), null))
                .exceptionally(e -> new Response(0, "", reason(e)));
    }

    private String reason(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof HttpTimeoutException) {
            return "timed out after " + timeout.toMillis() + " ms";
        }
        if (cause instanceof ConnectException) {
            return "unreachable (connection refused)";
        }
        if (cause instanceof IOException) {
            return "unreachable (" + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage())
                    + ")";
        }
        return cause.toString();
    }
}
