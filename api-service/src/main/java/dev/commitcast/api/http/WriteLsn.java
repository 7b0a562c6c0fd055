package dev.commitcast.api.http;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.netty.util.AsciiString;

/**
 * Read-your-writes over HTTP: every successful write answers {@value #HEADER} with an LSN at or after its commit
 * ({@code pg_current_wal_insert_lsn()} after it committed, recorded by {@link DatabaseCalls}); a read that sends the
 * same header back is answered from the caches only once this instance has applied the pipeline through that LSN,
 * else — after {@code commitcast.cache.read-your-writes-wait} — from Postgres. SQL writers get a token with
 * {@code SELECT pg_current_wal_insert_lsn()} after their commit.
 *
 * <p>The filter runs on writes only: a read never carries a token to add, and the read path (an L1 hit answered on
 * the event loop) should not pay for a filter it does not need.
 */
@ServerFilter(value = "/v1/orgs/**", methods = {HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE})
final class WriteLsn {

    /** The header carrying the token, on write responses and read requests. */
    static final String HEADER = "X-Commitcast-Lsn";
    /** {@link #HEADER} as a Netty name: its hash, which every header add and lookup needs, is computed once. */
    static final AsciiString HEADER_NAME = AsciiString.cached(HEADER);
    /** The request attribute {@link DatabaseCalls} records a write's token in. */
    static final String ATTRIBUTE = "commitcast.write-lsn";

    /** Adds the token of a write that committed. */
    @ResponseFilter
    void addToken(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (response.code() < 300) {
            request.getAttribute(ATTRIBUTE, String.class).ifPresent(lsn -> response.header(HEADER_NAME, lsn));
        }
    }
}
