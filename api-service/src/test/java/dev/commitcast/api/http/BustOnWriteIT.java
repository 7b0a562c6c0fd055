package dev.commitcast.api.http;

import dev.commitcast.api.support.Api;
import dev.commitcast.api.support.ApiTestSupport;
import dev.commitcast.api.support.RedisProbe;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.KeySpace;
import dev.commitcast.testsupport.DemoKeys;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.Map;

import static dev.commitcast.api.support.Api.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code commitcast.cache.bust-on-write=true}, the baseline of {@code benchmarks/baselines/}: each write endpoint
 * deletes its row's keys from Redis and this instance's L1 after the commit, and a write made with SQL is not seen.
 * (Off, the default, writes leave the caches alone: {@code WriteEndpointsIT#writesNeverTouchTheCaches}.)
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BustOnWriteIT extends ApiTestSupport {

    @Inject
    EmbeddedServer server;
    @Inject
    KeySpace keys;

    private Api api;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("commitcast.cache.bust-on-write", "true");
    }

    @BeforeAll
    void client() {
        api = new Api(server.getURI());
    }

    @Test
    void aUserPatchDeletesTheUsersKeysInRedisAndL1() {
        CacheKey user = DemoKeys.user(2, 171);
        cache("/v1/orgs/2/users/171", user);
        cache("/v1/orgs/2/users", DemoKeys.userList(2));

        HttpResponse<String> patched = api.send("PATCH", "/v1/orgs/2/users/171", "{\"displayName\":\"Busted\"}");
        assertEquals(200, patched.statusCode(), patched.body());
        assertGone(user);
        assertGone(DemoKeys.userList(2));
        HttpResponse<String> fresh = api.get("/v1/orgs/2/users/171");
        assertEquals("MISS", header(fresh, "X-Cache"), "this instance's L1 was evicted too");
        assertTrue(fresh.body().contains("Busted"), fresh.body());
    }

    @Test
    void aUserDeleteDeletesItsKey() {
        CacheKey user = DemoKeys.user(2, 172);
        cache("/v1/orgs/2/users/172", user);
        assertEquals(204, api.send("DELETE", "/v1/orgs/2/users/172", null).statusCode());
        assertGone(user);
        assertEquals(404, api.get("/v1/orgs/2/users/172").statusCode());
    }

    @Test
    void roleAndPermissionWritesDeleteTheirKeys() {
        CacheKey roles = DemoKeys.roles(2);
        CacheKey permissions = DemoKeys.rolePermissions(2, 6);
        cache("/v1/orgs/2/roles", roles);
        cache("/v1/orgs/2/roles/6/permissions", permissions);

        HttpResponse<String> replaced = api.send("PUT", "/v1/orgs/2/roles/6",
                "{\"name\":\"busted-role\",\"description\":\"after the bust\"}");
        assertEquals(200, replaced.statusCode(), replaced.body());
        assertGone(roles);
        assertGone(permissions);
        assertTrue(api.get("/v1/orgs/2/roles").body().contains("after the bust"));

        cache("/v1/orgs/2/roles/6/permissions", permissions);
        assertEquals(201, api.send("PUT", "/v1/orgs/2/roles/6/permissions/bust.granted", null).statusCode());
        assertGone(permissions);
        assertTrue(api.get("/v1/orgs/2/roles/6/permissions").body().contains("bust.granted"));

        cache("/v1/orgs/2/roles/6/permissions", permissions);
        assertEquals(204, api.send("DELETE", "/v1/orgs/2/roles/6/permissions/bust.granted", null).statusCode());
        assertGone(permissions);
        assertFalse(api.get("/v1/orgs/2/roles/6/permissions").body().contains("bust.granted"));
    }

    @Test
    void aSettingsWriteDeletesItsKey() {
        CacheKey settings = DemoKeys.settings(3);
        cache("/v1/orgs/3/settings", settings);
        HttpResponse<String> put = api.send("PUT", "/v1/orgs/3/settings", """
                {"timezone":"Asia/Tokyo","locale":"ja-JP","ssoEnabled":false,"mfaRequired":true,
                 "sessionTtlMinutes":30,"dataRetentionDays":10}""");
        assertEquals(200, put.statusCode(), put.body());
        assertGone(settings);
        assertTrue(api.get("/v1/orgs/3/settings").body().contains("Asia/Tokyo"));
    }

    @Test
    void aWriteMadeWithSqlIsNotSeen() {
        CacheKey user = DemoKeys.user(2, 173);
        cache("/v1/orgs/2/users/173", user);
        sql("update users set display_name = 'Changed with SQL' where id = 173");
        HttpResponse<String> cached = api.get("/v1/orgs/2/users/173");
        assertEquals("L1", header(cached, "X-Cache"));
        assertFalse(cached.body().contains("Changed with SQL"), "only the pipeline sees writes made around the API");
        try (RedisProbe redis = new RedisProbe()) {
            assertTrue(redis.exists(keys.valueKey(user)));
        }
    }

    /** Reads the path until this instance answers it from L1, so the key is in Redis and in L1. */
    private void cache(String path, CacheKey key) {
        assertEquals(200, api.get(path).statusCode(), path);
        assertEquals("L1", header(api.get(path), "X-Cache"), path);
        try (RedisProbe redis = new RedisProbe()) {
            assertTrue(redis.exists(keys.valueKey(key)), key + " was filled into Redis");
        }
    }

    private void assertGone(CacheKey key) {
        try (RedisProbe redis = new RedisProbe()) {
            assertFalse(redis.exists(keys.valueKey(key)), key + " was deleted from Redis by the write");
        }
    }
}
