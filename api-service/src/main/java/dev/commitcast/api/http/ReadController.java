package dev.commitcast.api.http;

import dev.commitcast.api.config.CommitcastConfig;
import dev.commitcast.api.data.DatabaseExecutorFactory;
import dev.commitcast.api.data.InvalidFieldException;
import dev.commitcast.client.TieredCache;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.Watermark;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import jakarta.inject.Named;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The cached read endpoints. Methods run on the Netty event loop (no {@code @ExecuteOn}): an L1 hit returns an
 * already-completed stage and is answered without a thread hop; misses complete on a Redis I/O thread or a database
 * worker (see the client's {@link TieredCache}). Answers carry {@code X-Cache}, {@code ETag} and {@code Cache-Control}.
 */
@Controller("/v1/orgs/{orgId}")
final class ReadController {

    private final TieredCache<CachedValue> cache;
    private final DemoKinds kinds;
    private final CachedResponses responses;
    private final UserPages pages;
    private final ResourceLoader loader;
    private final ExecutorService database;
    private final int defaultPageSize;
    private final int maxPageSize;
    private final long queryTimeoutMillis;

    ReadController(TieredCache<CachedValue> cache, DemoKinds kinds, CachedResponses responses, UserPages pages, ResourceLoader loader,
                   @Named(DatabaseExecutorFactory.NAME) ExecutorService database, CommitcastConfig config) {
        this.cache = cache;
        this.kinds = kinds;
        this.responses = responses;
        this.pages = pages;
        this.loader = loader;
        this.database = database;
        this.defaultPageSize = config.http().defaultPageSize();
        this.maxPageSize = config.http().maxPageSize();
        this.queryTimeoutMillis = config.db().queryTimeout().toMillis();
    }

    /** An organisation's settings. */
    @Get("/settings")
    CompletionStage<HttpResponse<byte[]>> settings(String orgId, HttpRequest<?> request) {
        return cached(request, kinds.settings(positive("orgId", orgId)));
    }

    /** An organisation's roles. */
    @Get("/roles")
    CompletionStage<HttpResponse<byte[]>> roles(String orgId, HttpRequest<?> request) {
        return cached(request, kinds.roles(positive("orgId", orgId)));
    }

    /** A role's permissions. */
    @Get("/roles/{roleId}/permissions")
    CompletionStage<HttpResponse<byte[]>> permissions(String orgId, String roleId, HttpRequest<?> request) {
        return cached(request, kinds.rolePermissions(positive("orgId", orgId), positive("roleId", roleId)));
    }

    /** One user. */
    @Get("/users/{userId}")
    CompletionStage<HttpResponse<byte[]>> user(String orgId, String userId, HttpRequest<?> request) {
        return cached(request, kinds.user(positive("orgId", orgId), positive("userId", userId)));
    }

    /**
     * A page of users by id. The first page is cut from the cached first page of {@code max-page-size} users; later
     * pages ({@code cursor} given) are read from Postgres and not cached.
     */
    @Get("/users")
    CompletionStage<HttpResponse<byte[]>> users(String orgId, @Nullable @QueryValue Integer limit,
                                                @Nullable @QueryValue String cursor, HttpRequest<?> request) {
        long org = positive("orgId", orgId);
        int size = limit == null ? defaultPageSize : limit;
        if (size < 1 || size > maxPageSize) {
            throw new InvalidFieldException("limit", "must be within [1, " + maxPageSize + "], was " + size);
        }
        if (cursor != null) {
            long afterId = UserCursor.decode(cursor);
            return CompletableFuture.supplyAsync(() -> loader.page(org, afterId, size), database)
                    .orTimeout(queryTimeoutMillis, TimeUnit.MILLISECONDS)
                    .thenApply(page -> responses.respond(request, kinds.userList, null, page.found(), page.body(),
                            page.etag()));
        }
        CacheKey key = kinds.userList(org);
        return cache.lookup(key, loader, validLsn(request)).thenApply(lookup -> {
            CachedValue value = lookup.value();
            if (value == null) {
                return responses.respond(request, kinds.userList, lookup.source(), loader.notFound(key));
            }
            UserPages.Slice slice = pages.slice(value, size);
            return responses.respond(request, kinds.userList, lookup.source(), true, slice.body(), slice.etag());
        });
    }

    private CompletionStage<HttpResponse<byte[]>> cached(HttpRequest<?> request, CacheKey key) {
        // thenApply on an L1 hit's completed stage runs inline: the response is ready before this method returns
        return cache.lookup(key, loader, validLsn(request)).thenApply(lookup -> responses.respond(request,
                key.kind(), lookup.source(), lookup.found() ? lookup.value() : loader.notFound(key)));
    }

    /**
     * Returns the request's read-your-writes token ({@value WriteLsn#HEADER}), checked ({@code null}: none); 400
     * naming the header when invalid. Read from the headers here rather than bound as an argument: binding costs
     * every L1 hit a conversion-service lookup.
     */
    private static String validLsn(HttpRequest<?> request) {
        String writeLsn = request.getHeaders().get(WriteLsn.HEADER_NAME);
        if (writeLsn == null || writeLsn.isBlank()) {
            return null;
        }
        try {
            Watermark.parsePgLsn(writeLsn.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(WriteLsn.HEADER, e.getMessage());
        }
        return writeLsn.strip();
    }

    /**
     * Parses a path variable as a positive id; 400 naming it otherwise. The variables are bound as strings and parsed
     * here, sparing every request Micronaut's conversion-service lookup per variable (the read path, issue 13.5).
     */
    private static long positive(String field, String value) {
        long id;
        try {
            id = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidFieldException(field, "must be a positive integer, was '" + value + "'");
        }
        if (id <= 0) {
            throw new InvalidFieldException(field, "must be > 0, was " + id);
        }
        return id;
    }
}
