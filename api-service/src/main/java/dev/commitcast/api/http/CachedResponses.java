package dev.commitcast.api.http;

import dev.commitcast.api.config.CommitcastConfig;
import dev.commitcast.client.Lookup;
import dev.commitcast.core.KeyKind;
import dev.commitcast.core.Rules;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.netty.util.AsciiString;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Arrays;

/**
 * Turns a cached body into a response: {@code X-Cache} (where it came from), a strong {@code ETag} of the bytes,
 * {@code 304 Not Modified} when {@code If-None-Match} matches, and {@code Cache-Control: private, max-age=N} with N the
 * kind's L1 TTL (negative TTL for 404s) capped by {@code commitcast.http.client-max-age}; values served around the
 * caches ({@code BYPASS}) and uncached pages get {@code no-cache}. Stateless and thread-safe; cheap enough for the
 * event loop.
 */
@Singleton
final class CachedResponses {

    /** The response header naming the tier that answered. */
    static final String X_CACHE = "X-Cache";

    // Header names and the fixed values as Netty AsciiStrings: Netty hashes a header name on every add (an
    // AsciiString caches its hash) and checks values byte by byte, cheaper on an AsciiString than on a String.
    private static final AsciiString X_CACHE_NAME = AsciiString.cached(X_CACHE);
    private static final AsciiString ETAG = AsciiString.cached(HttpHeaders.ETAG);
    private static final AsciiString CACHE_CONTROL = AsciiString.cached(HttpHeaders.CACHE_CONTROL);
    private static final AsciiString IF_NONE_MATCH = AsciiString.cached(HttpHeaders.IF_NONE_MATCH);
    private static final AsciiString NO_CACHE = AsciiString.cached("no-cache");
    private static final AsciiString[] SOURCES = Arrays.stream(Lookup.Source.values())
            .map(source -> AsciiString.cached(source.name())).toArray(AsciiString[]::new);

    private final AsciiString[] foundControl;
    private final AsciiString[] missingControl;

    CachedResponses(Rules rules, CommitcastConfig config) {
        Duration cap = config.http().clientMaxAge();
        foundControl = new AsciiString[rules.kinds().size()];
        missingControl = new AsciiString[rules.kinds().size()];
        for (KeyKind kind : rules.kinds()) {
            Duration found = min(min(kind.ttl(), config.cache().l1().maxTtl()), cap);
            foundControl[kind.index()] = AsciiString.cached("private, max-age=" + found.toSeconds());
            missingControl[kind.index()] = AsciiString.cached("private, max-age="
                    + min(kind.negativeTtl(), found).toSeconds());
        }
    }

    /** Answers a value of the given kind; {@code value} is the lookup's, or the 404 answer of a negative entry. */
    MutableHttpResponse<byte[]> respond(HttpRequest<?> request, KeyKind kind, Lookup.Source source,
                                        CachedValue value) {
        return respond(request, kind, source, value.found(), value.body(), value.etag());
    }

    /** Answers a body of the given kind that came from {@code source} ({@code null}: not a cached resource). */
    MutableHttpResponse<byte[]> respond(HttpRequest<?> request, KeyKind kind, Lookup.Source source, boolean found,
                                        byte[] body, String etag) {
        AsciiString control = source == null || source == Lookup.Source.BYPASS ? NO_CACHE
                : (found ? foundControl : missingControl)[kind.index()];
        MutableHttpResponse<byte[]> response;
        if (!found) {
            response = HttpResponse.<byte[]>status(HttpStatus.NOT_FOUND).body(body).contentType(Problem.MEDIA_TYPE);
        } else if (matches(request.getHeaders().get(IF_NONE_MATCH), etag)) {
            response = HttpResponse.notModified();
            response.header(ETAG, etag);
        } else {
            response = HttpResponse.ok(body).contentType(MediaType.APPLICATION_JSON_TYPE);
            response.header(ETAG, etag);
        }
        response.header(CACHE_CONTROL, control);
        if (source != null) {
            response.header(X_CACHE_NAME, SOURCES[source.ordinal()]);
        }
        return response;
    }

    /** RFC 9110 If-None-Match: weak comparison against a list of tags, or {@code *}. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || (tag.startsWith("W/") ? tag.substring(2) : tag).equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
