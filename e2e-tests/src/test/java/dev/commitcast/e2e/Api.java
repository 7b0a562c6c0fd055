package dev.commitcast.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A minimal HTTP client of one api-service instance. Thread-safe. */
final class Api {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final URI base;

    Api(String name, URI base) {
        this.name = name;
        this.base = base;
    }

    /** One answer: status, where it came from ({@code X-Cache}) and the body. */
    record Reply(int status, String cache, String body) {
        /**
         * Whether the instance answered through its caches (L1, L2 or a fill). A BYPASS answer comes straight from
         * Postgres because the pipeline fell behind its staleness budget: fresh, but it proves nothing about
         * invalidation, so tests that check invalidation wait for trusted answers.
         */
        boolean trusted() {
            return !"BYPASS".equals(cache);
        }
    }

    /** A write's answer: its status and its read-your-writes token ({@code X-Commitcast-Lsn}, null when absent). */
    record Written(int status, String lsn) {
    }

    Reply get(String path) {
        return get(path, null);
    }

    /** A read presenting a write's token ({@code null}: none). */
    Reply get(String path, String writeLsn) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET();
        if (writeLsn != null) {
            builder.header("X-Commitcast-Lsn", writeLsn);
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("X-Cache").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A write with a JSON body, e.g. {@code PATCH} of a user. */
    Written write(String method, String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Written(response.statusCode(), response.headers().firstValue("X-Commitcast-Lsn").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The value of one Prometheus sample line of {@code /metrics} that starts with {@code series}, summed. */
    double metric(String series) {
        double sum = 0;
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(series) && !line.startsWith("#")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    @Override
    public String toString() {
        return name + "@" + base;
    }
}
