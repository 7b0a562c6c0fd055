package dev.commitcast.api.cache;

import dev.commitcast.client.CommitcastClient;
import dev.commitcast.client.FillHooks;
import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.client.MicrometerStatsCounter;
import dev.commitcast.client.StatsCounter;
import dev.commitcast.client.StatsCounter.Tier;
import dev.commitcast.api.support.Api;
import dev.commitcast.api.support.ApiTestSupport;
import dev.commitcast.api.support.LatchHooks;
import dev.commitcast.api.support.RedisProbe;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.KeyKind;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.annotation.MockBean;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.commitcast.api.support.Api.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read/invalidate race, reproduced step by step with hooks: a reader reads a row, the row changes and is
 * invalidated, then the reader tries to fill. Neither Redis (lease gone) nor L1 (load marked stale) may keep the old
 * value, so the next read sees the new one.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FencedFillIT extends ApiTestSupport {

    private final LatchHooks hooks = new LatchHooks();

    @Inject
    EmbeddedServer server;
    @Inject
    MicrometerStatsCounter metrics;
    @Inject
    CommitcastClient invalidator;
    @Inject
    CommitcastClient evictions;
    @Inject
    KeySpace keys;

    private Api api;

    @MockBean(FillHooks.class)
    FillHooks hooks() {
        return hooks;
    }

    @BeforeAll
    void client() {
        api = new Api(server.getURI());
    }

    @Test
    void aFillThatRacedWithAnInvalidationIsDroppedFromRedisAndL1() throws Exception {
        CacheKey key = DemoKeys.user(1, 20);
        long l2Rejected = metrics.fillsRejected(Tier.L2, DemoKeys.user(1, 1).kind());
        long l1Rejected = metrics.fillsRejected(Tier.L1, DemoKeys.user(1, 1).kind());
        LatchHooks.Gate read = hooks.arm(LatchHooks.Step.AFTER_DATABASE_READ, key);

        CompletableFuture<HttpResponse<String>> reader = api.getAsync("/v1/orgs/1/users/20");
        read.awaitArrival();
        try (RedisProbe redis = new RedisProbe()) {
            assertTrue(redis.exists(keys.leaseKey(key)), "the reader holds the fill lease");
            // the change commits and the pipeline invalidates it, while the reader still holds the old row
            sql("update users set display_name = 'After' where id = 20");
            invalidator.invalidate(List.of(key)).toCompletableFuture().get();
            read.release();

            HttpResponse<String> old = reader.get();
            assertEquals(200, old.statusCode());
            assertEquals("MISS", header(old, "X-Cache"));
            assertFalse(old.body().contains("After"), "the reader answers what it read");
            assertFalse(redis.exists(keys.valueKey(key)), "Redis did not keep the old value");
            assertFalse(redis.exists(keys.leaseKey(key)), "no lease left behind");
        }
        assertEquals(l2Rejected + 1, metrics.fillsRejected(Tier.L2, DemoKeys.user(1, 1).kind()));
        assertEquals(l1Rejected + 1, metrics.fillsRejected(Tier.L1, DemoKeys.user(1, 1).kind()));

        HttpResponse<String> next = api.get("/v1/orgs/1/users/20");
        assertEquals("MISS", header(next, "X-Cache"), "L1 did not keep the old value either");
        assertTrue(next.body().contains("After"));
    }

    @Test
    void anL2ValueEvictedWhileBeingCopiedIntoL1IsNotKeptInL1() {
        CacheKey key = DemoKeys.user(1, 21);
        api.get("/v1/orgs/1/users/21");
        evictions.evictLocally(List.of(key));
        long l1Rejected = metrics.fillsRejected(Tier.L1, DemoKeys.user(1, 1).kind());
        LatchHooks.Gate fill = hooks.arm(LatchHooks.Step.BEFORE_L1_FILL, key);

        CompletableFuture<HttpResponse<String>> reader = api.getAsync("/v1/orgs/1/users/21");
        fill.awaitArrival();
        evictions.evictLocally(List.of(key));
        fill.release();

        assertEquals("L2", header(reader.join(), "X-Cache"));
        assertEquals(l1Rejected + 1, metrics.fillsRejected(Tier.L1, DemoKeys.user(1, 1).kind()));
        assertEquals("L2", header(api.get("/v1/orgs/1/users/21"), "X-Cache"), "L1 did not keep it");
        assertEquals("L1", header(api.get("/v1/orgs/1/users/21"), "X-Cache"));
    }

    @Test
    void aFlushDuringALoadFencesItsL1Fill() {
        CacheKey key = DemoKeys.roles(2);
        long l1Rejected = metrics.fillsRejected(Tier.L1, DemoKeys.roles(1).kind());
        LatchHooks.Gate read = hooks.arm(LatchHooks.Step.AFTER_DATABASE_READ, key);

        CompletableFuture<HttpResponse<String>> reader = api.getAsync("/v1/orgs/2/roles");
        read.awaitArrival();
        evictions.flushLocally("test");
        read.release();

        assertEquals("MISS", header(reader.join(), "X-Cache"));
        assertEquals(l1Rejected + 1, metrics.fillsRejected(Tier.L1, DemoKeys.roles(1).kind()));
        assertEquals("L2", header(api.get("/v1/orgs/2/roles"), "X-Cache"), "L1 stayed empty after the flush");
    }

    @Test
    void aReaderFindingAnotherInstancesLeaseReadsPostgresWithoutFilling() {
        CacheKey key = DemoKeys.settings(3);
        long busy = metrics.leasesBusy(DemoKeys.settings(1).kind());
        try (RedisProbe redis = new RedisProbe()) {
            redis.redis().psetex(keys.leaseKey(key), 10_000, "another-instance");

            HttpResponse<String> answer = api.get("/v1/orgs/3/settings");
            assertEquals(200, answer.statusCode());
            assertEquals("MISS", header(answer, "X-Cache"));
            assertEquals(busy + 1, metrics.leasesBusy(DemoKeys.settings(1).kind()));
            assertFalse(redis.exists(keys.valueKey(key)), "only the lease holder may fill");
            assertEquals("another-instance", redis.redis().get(keys.leaseKey(key)), "the lease is untouched");
        }
    }

    @Test
    void anEmptiedScriptCacheFallsBackFromEvalshaToEval() {
        CacheKey key = DemoKeys.user(2, 200);
        try (RedisProbe redis = new RedisProbe()) {
            redis.redis().scriptFlush();
            assertEquals("MISS", header(api.get("/v1/orgs/2/users/200"), "X-Cache"));
            assertTrue(redis.exists(keys.valueKey(key)), "lease and fill ran although Redis had forgotten the scripts");
        }
        evictions.evictLocally(List.of(key));
        assertEquals("L2", header(api.get("/v1/orgs/2/users/200"), "X-Cache"));
    }
}
