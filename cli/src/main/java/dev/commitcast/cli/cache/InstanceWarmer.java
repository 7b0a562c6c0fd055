package dev.commitcast.cli.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Fills one api-service instance's caches through its normal read endpoints, organisation by organisation:
 * settings, roles, then each role's permissions (concurrently) and the first users page. Every answer's
 * {@code X-Cache} header is counted in a {@link WarmTally}. Gives up on the instance when it refuses connections, so an
 * instance that is down costs one timeout, not one per request. Not thread-safe.
 */
final class InstanceWarmer {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI base;
    private final WarmTally tally = new WarmTally();

    InstanceWarmer(HttpClient http, URI base) {
        this.http = http;
        this.base = base;
    }

    WarmTally warm(List<Long> orgs) {
        for (long org : orgs) {
            if (tally.unreachable != null) {
                break;
            }
            warmOrg(org);
        }
        return tally;
    }

    private void warmOrg(long org) {
        String prefix = "/v1/orgs/" + org;
        get(prefix + "/settings");
        String roles = get(prefix + "/roles");
        List<CompletableFuture<Void>> permissions = new ArrayList<>();
        for (long role : roleIds(roles)) {
            permissions.add(getAsync(prefix + "/roles/" + role + "/permissions"));
        }
        permissions.forEach(CompletableFuture::join);
        get(prefix + "/users");
    }

    /** GETs a path, counts the answer and returns its body when it was 200, else {@code null}. */
    private String get(String path) {
        if (tally.unreachable != null) {
            return null;
        }
        try {
            HttpResponse<String> response = http.send(request(path), HttpResponse.BodyHandlers.ofString());
            synchronized (tally) {
                tally.answered(response.statusCode(), response.headers().firstValue("X-Cache").orElse(null));
            }
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            failed(path, e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while warming " + base, e);
        }
    }

    private CompletableFuture<Void> getAsync(String path) {
        return http.sendAsync(request(path), HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> {
                    if (error != null) {
                        failed(path, error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error);
                    } else {
                        synchronized (tally) {
                            tally.answered(response.statusCode(), response.headers().firstValue("X-Cache").orElse(null));
                        }
                    }
                    return null;
                });
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).GET().build();
    }

    private void failed(String path, Throwable error) {
        synchronized (tally) {
            if (error instanceof ConnectException) {
                tally.unreachable = "unreachable (connection refused)";
            } else if (error instanceof HttpTimeoutException) {
                tally.failed("GET " + path + " timed out after " + REQUEST_TIMEOUT.toSeconds() + " s");
            } else {
                tally.failed("GET " + path + ": " + error);
            }
        }
    }

    /** The role ids of a {@code /roles} answer: {@code {"orgId":1,"roles":[{"id":7,...},...]}}. */
    static List<Long> roleIds(String body) {
        if (body == null) {
            return List.of();
        }
        try {
            List<Long> ids = new ArrayList<>();
            for (JsonNode role : JSON.readTree(body).path("roles")) {
                if (role.path("id").canConvertToLong()) {
                    ids.add(role.path("id").longValue());
                }
            }
            return ids;
        } catch (IOException e) {
            throw new IllegalStateException("the roles answer is not JSON: " + e.getMessage(), e);
        }
    }
}
