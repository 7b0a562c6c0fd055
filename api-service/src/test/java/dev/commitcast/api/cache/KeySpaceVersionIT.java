package dev.commitcast.api.cache;

import dev.commitcast.api.support.Api;
import dev.commitcast.api.support.ApiTestSupport;
import dev.commitcast.api.support.RedisProbe;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.KeySpace;
import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.testsupport.Repo;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static dev.commitcast.api.support.Api.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bumping {@code keyspace.version} in the rules file (docs/rules.md, "changing the rules"): an instance on the bumped
 * rules never reads a value filled under the old version, even one nothing invalidated, because its keys are other
 * keys ({@code <prefix>:v2:…}). L1 is off so that every hit is an L2 read. No CDC pipeline runs here, so a direct SQL
 * update leaves the v1 value in Redis stale on purpose: that is the value a version bump must never serve.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeySpaceVersionIT extends ApiTestSupport {

    @Inject
    EmbeddedServer server;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("commitcast.cache.l1.enabled", "false");
    }

    @Test
    void anInstanceOnABumpedVersionNeverReadsValuesFilledUnderTheOldOne() {
        Api v1 = new Api(server.getURI());
        assertEquals("MISS", header(v1.get("/v1/orgs/2/settings"), "X-Cache"));
        assertEquals("L2", header(v1.get("/v1/orgs/2/settings"), "X-Cache"));
        sql("update org_settings set timezone = 'Pacific/Chatham' where org_id = 2");
        HttpResponse<String> stale = v1.get("/v1/orgs/2/settings");
        assertEquals("L2", header(stale, "X-Cache"));
        assertFalse(stale.body().contains("Pacific/Chatham"), "the v1 value is stale: " + stale.body());

        Map<String, Object> bumped = new HashMap<>(getProperties());
        bumped.put("commitcast.rules", Repo.demoRulesWithVersion(2).toString());
        bumped.put("micronaut.server.port", -1);
        try (EmbeddedServer v2Server = ApplicationContext.run(EmbeddedServer.class, bumped)) {
            Api v2 = new Api(v2Server.getURI());
            HttpResponse<String> fresh = v2.get("/v1/orgs/2/settings");
            assertEquals("MISS", header(fresh, "X-Cache"), "a v2 key has never been filled");
            assertTrue(fresh.body().contains("Pacific/Chatham"), fresh.body());
            assertEquals("L2", header(v2.get("/v1/orgs/2/settings"), "X-Cache"));
        }
        CacheKey settings = DemoKeys.settings(2);
        try (RedisProbe redis = new RedisProbe()) {
            assertTrue(redis.exists(new KeySpace(keySpace(), 1).valueKey(settings)), "the old value stays until its TTL");
            assertTrue(redis.exists(new KeySpace(keySpace(), 2).valueKey(settings)), "the bumped rules fill their own key");
        }
    }
}
