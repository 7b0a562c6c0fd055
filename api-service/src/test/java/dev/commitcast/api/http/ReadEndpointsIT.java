package dev.commitcast.api.http;

import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.client.CommitcastClient;
import dev.commitcast.client.Loader;
import dev.commitcast.client.Lookup;
import dev.commitcast.client.TieredCache;
import dev.commitcast.api.support.Api;
import dev.commitcast.api.support.ApiTestSupport;
import dev.commitcast.api.support.RedisProbe;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.KeySpace;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.commitcast.api.support.Api.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every read endpoint against real Postgres and Redis: bodies, 404s, paging, headers, tiers, 304, perf, metrics. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadEndpointsIT extends ApiTestSupport {

    @Inject
    EmbeddedServer server;
    @Inject
    JsonMapper json;
    @Inject
    CommitcastClient evictions;
    @Inject
    CommitcastClient invalidator;
    @Inject
    KeySpace keys;
    @Inject
    TieredCache<CachedValue> cache;
    @Inject
    Loader<CachedValue> loader;

    private Api api;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("commitcast.http.client-max-age", "30s");
    }

    @BeforeAll
    void client() {
        api = new Api(server.getURI());
    }

    @Test
    void settingsRolesPermissionsAndUserAnswerTheirRows() throws IOException {
        Map<String, Object> settings = ok("/v1/orgs/1/settings");
        assertEquals(1, ((Number) settings.get("orgId")).intValue());
        assertNotNull(settings.get("timezone"));
        assertNotNull(settings.get("sessionTtlMinutes"));

        List<?> roles = (List<?>) ok("/v1/orgs/1/roles").get("roles");
        assertEquals(4, roles.size());
        assertEquals("Owner", ((Map<?, ?>) roles.getFirst()).get("name"));

        Map<String, Object> permissions = ok("/v1/orgs/1/roles/2/permissions");
        assertEquals(5, ((List<?>) permissions.get("permissions")).size());
        assertEquals(2, ((Number) permissions.get("roleId")).intValue());

        Map<String, Object> user = ok("/v1/orgs/2/users/151");
        assertEquals(151, ((Number) user.get("id")).intValue());
        assertEquals(2, ((Number) user.get("orgId")).intValue());
        assertTrue(((String) user.get("email")).endsWith("@org2.example"));
    }

    @Test
    void unknownOrganisationsRolesAndUsersAre404Problems() throws IOException {
        for (String path : List.of("/v1/orgs/99/settings", "/v1/orgs/99/roles", "/v1/orgs/99/users",
                "/v1/orgs/1/roles/999/permissions", "/v1/orgs/1/roles/5/permissions", "/v1/orgs/1/users/151",
                "/v1/orgs/1/users/999999")) {
            HttpResponse<String> response = api.get(path);
            assertEquals(404, response.statusCode(), path);
            assertEquals("application/problem+json", header(response, "Content-Type"), path);
            assertEquals(404, ((Number) parse(response).get("status")).intValue(), path);
        }
    }

    @Test
    void aReadGoesMissThenL2ThenL1() {
        CacheKey key = DemoKeys.user(1, 10);
        assertEquals("MISS", header(api.get("/v1/orgs/1/users/10"), "X-Cache"));
        evictions.evictLocally(List.of(key));
        assertEquals("L2", header(api.get("/v1/orgs/1/users/10"), "X-Cache"));
        assertEquals("L1", header(api.get("/v1/orgs/1/users/10"), "X-Cache"));
        try (RedisProbe redis = new RedisProbe()) {
            assertTrue(redis.exists(keys.valueKey(key)), "the value is in Redis");
            assertTrue(!redis.exists(keys.leaseKey(key)), "the fill released its lease");
        }
    }

    @Test
    void anL1HitCompletesOnTheCallingThread() {
        CacheKey key = DemoKeys.settings(3);
        cache.lookup(key, loader).toCompletableFuture().join();
        CompletableFuture<Lookup<CachedValue>> hit = cache.lookup(key, loader).toCompletableFuture();
        assertTrue(hit.isDone(), "an L1 hit needs no other thread: the stage is complete when get returns");
        assertEquals(Lookup.Source.L1, hit.join().source());
    }

    @Test
    void usersArePagedByIdFromTheCachedFirstPage() throws IOException {
        HttpResponse<String> ten = api.get("/v1/orgs/1/users?limit=10");
        assertEquals(200, ten.statusCode());
        Map<String, Object> page = parse(ten);
        List<?> users = (List<?>) page.get("users");
        assertEquals(10, users.size());
        assertEquals(10, ((Number) ((Map<?, ?>) users.getLast()).get("id")).intValue());
        assertNotNull(page.get("nextCursor"));

        assertEquals(50, ((List<?>) ok("/v1/orgs/1/users").get("users")).size(), "default page size");
        HttpResponse<String> hundred = api.get("/v1/orgs/1/users?limit=100");
        assertEquals("L1", header(hundred, "X-Cache"), "cut from the cached first page");
        Map<String, Object> first = parse(hundred);
        assertEquals(100, ((List<?>) first.get("users")).size());

        HttpResponse<String> second = api.get("/v1/orgs/1/users?limit=100&cursor=" + first.get("nextCursor"));
        assertNull(header(second, "X-Cache"), "later pages are not cached");
        Map<String, Object> rest = parse(second);
        List<?> restUsers = (List<?>) rest.get("users");
        assertEquals(50, restUsers.size());
        assertEquals(101, ((Number) ((Map<?, ?>) restUsers.getFirst()).get("id")).intValue());
        assertNull(rest.get("nextCursor"));

        Map<String, Object> afterTen = ok("/v1/orgs/1/users?limit=5&cursor=" + page.get("nextCursor"));
        assertEquals(11, ((Number) ((Map<?, ?>) ((List<?>) afterTen.get("users")).getFirst()).get("id")).intValue());
    }

    @Test
    void badLimitsAndCursorsAre400NamingTheParameter() throws IOException {
        for (String query : List.of("limit=0", "limit=101", "limit=-3")) {
            assertProblem(api.get("/v1/orgs/1/users?" + query), 400, "limit");
        }
        assertProblem(api.get("/v1/orgs/1/users?limit=ten"), 400, "limit");
        for (String cursor : List.of("garbage!", "dTE6MA", "eHl6", "dTE6LTE")) {
            assertProblem(api.get("/v1/orgs/1/users?cursor=" + cursor), 400, "cursor");
        }
        assertProblem(api.get("/v1/orgs/0/users/1"), 400, "orgId");
        assertProblem(api.get("/v1/orgs/abc/settings"), 400, "orgId");
    }

    @Test
    void etagsAreStrongAndIfNoneMatchAnswers304() {
        HttpResponse<String> first = api.get("/v1/orgs/3/roles");
        String etag = header(first, "ETag");
        assertTrue(etag.startsWith("\"") && etag.endsWith("\""), etag);
        HttpResponse<String> again = api.get("/v1/orgs/3/roles");
        assertEquals(etag, header(again, "ETag"), "same bytes, same tag");

        HttpResponse<String> notModified = api.get("/v1/orgs/3/roles", "If-None-Match", etag);
        assertEquals(304, notModified.statusCode());
        assertEquals("", notModified.body());
        assertEquals(etag, header(notModified, "ETag"));
        assertEquals("L1", header(notModified, "X-Cache"));
        assertEquals(304, api.get("/v1/orgs/3/roles", "If-None-Match", "\"other\", W/" + etag).statusCode());
        assertEquals(200, api.get("/v1/orgs/3/roles", "If-None-Match", "\"other\"").statusCode());

        String sliceTag = header(api.get("/v1/orgs/3/users?limit=7"), "ETag");
        assertEquals(304, api.get("/v1/orgs/3/users?limit=7", "If-None-Match", sliceTag).statusCode());
        assertEquals(200, api.get("/v1/orgs/3/users?limit=8", "If-None-Match", sliceTag).statusCode());
    }

    @Test
    void cacheControlFollowsTheTtlPolicyCappedByClientMaxAge() {
        assertEquals("private, max-age=15", header(api.get("/v1/orgs/2/users/160"), "Cache-Control"),
                "user L1 TTL 15 s");
        assertEquals("private, max-age=30", header(api.get("/v1/orgs/2/settings"), "Cache-Control"),
                "settings L1 TTL 60 s capped at 30 s");
        assertEquals("private, max-age=5", header(api.get("/v1/orgs/2/users/999998"), "Cache-Control"),
                "404s live for the negative TTL");
    }

    @Test
    void a404IsCachedUntilTheKeyIsInvalidated() throws Exception {
        CacheKey key = DemoKeys.user(1, 888_888);
        HttpResponse<String> miss = api.get("/v1/orgs/1/users/888888");
        assertEquals(404, miss.statusCode());
        assertEquals("MISS", header(miss, "X-Cache"));
        assertEquals("L1", header(api.get("/v1/orgs/1/users/888888"), "X-Cache"));

        sql("insert into users (id, org_id, email, display_name) values (888888, 1, 'late@org1.example', 'Late')");
        HttpResponse<String> stillCached = api.get("/v1/orgs/1/users/888888");
        assertEquals(404, stillCached.statusCode(), "the negative entry is served until invalidated");

        invalidator.invalidate(List.of(key)).toCompletableFuture().get();
        HttpResponse<String> fresh = api.get("/v1/orgs/1/users/888888");
        assertEquals(200, fresh.statusCode());
        assertEquals("MISS", header(fresh, "X-Cache"));
    }

    @Test
    void perfEndpointsReportTiersKindsAndLatencies() throws IOException {
        api.get("/v1/orgs/2/roles");
        api.get("/v1/orgs/2/roles");
        Map<String, Object> cache = ok("/v1/perf/cache");
        Map<?, ?> tiers = (Map<?, ?>) cache.get("tiers");
        assertTrue(((Number) ((Map<?, ?>) tiers.get("l1")).get("hits")).longValue() > 0);
        Map<?, ?> roles = (Map<?, ?>) ((Map<?, ?>) cache.get("kinds")).get("roles");
        assertTrue(((Number) ((Map<?, ?>) roles.get("l2")).get("fills")).longValue() > 0);
        assertEquals("CLOSED", ((Map<?, ?>) cache.get("l2")).get("circuit"));
        assertNotNull(((Map<?, ?>) cache.get("l1")).get("weightBytes"));

        Map<String, Object> summary = ok("/v1/perf/summary");
        Map<?, ?> endpoints = (Map<?, ?>) summary.get("endpoints");
        Map<?, ?> rolesEndpoint = (Map<?, ?>) endpoints.get("GET /v1/orgs/{orgId}/roles");
        assertNotNull(rolesEndpoint, "latency of the roles endpoint: " + endpoints.keySet());
        assertNotNull(rolesEndpoint.get("p99Ms"));
        assertNotNull(((Map<?, ?>) summary.get("repository")).get("roles ok"));
    }

    @Test
    void prometheusExpositionIsServedAtMetrics() {
        HttpResponse<String> metrics = api.get("/metrics");
        assertEquals(200, metrics.statusCode());
        for (String name : List.of("commitcast_cache_requests_total", "commitcast_cache_fills_total",
                "commitcast_cache_singleflight_joins_total", "commitcast_cache_fallbacks_total", "commitcast_l1_size",
                "commitcast_l1_weight_bytes", "commitcast_l2_circuit_open", "commitcast_db_query_seconds",
                "commitcast_broadcast_delay_seconds", "commitcast_staleness_seconds", "http_server_requests_seconds",
                "jvm_memory_used_bytes")) {
            assertTrue(metrics.body().contains(name), name + " in /metrics");
        }
    }

    @Test
    void readinessDetailsPostgresAndRedis() throws IOException {
        HttpResponse<String> readiness = api.get("/health/readiness");
        assertEquals(200, readiness.statusCode(), readiness.body());
        Map<?, ?> details = (Map<?, ?>) parse(readiness).get("details");
        assertEquals("UP", ((Map<?, ?>) details.get("jdbc")).get("status"));
        Map<?, ?> l2 = (Map<?, ?>) ((Map<?, ?>) details.get("redis-l2")).get("details");
        assertEquals("UP", l2.get("l2"));
    }

    @Test
    void pingIsConstant() {
        HttpResponse<String> ping = api.get("/v1/ping");
        assertEquals(200, ping.statusCode());
        assertEquals("{\"pong\":true}", ping.body());
    }

    private Map<String, Object> ok(String path) throws IOException {
        HttpResponse<String> response = api.get(path);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return parse(response);
    }

    private void assertProblem(HttpResponse<String> response, int status, String field) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", header(response, "Content-Type"));
        assertEquals(field, parse(response).get("field"), response.body());
    }

    private Map<String, Object> parse(HttpResponse<String> response) throws IOException {
        return json.readValue(response.body(), Argument.mapOf(String.class, Object.class));
    }
}
