package dev.commitcast.api.broadcast;

import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.testsupport.Repo;
import dev.commitcast.core.Rules;
import dev.commitcast.api.support.Api;
import dev.commitcast.api.support.ApiTestSupport;
import dev.commitcast.api.support.Meters;
import dev.commitcast.api.support.RedisProbe;
import dev.commitcast.api.support.Wait;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.wire.EvictionCodec;
import dev.commitcast.core.wire.EvictionMessage;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Namespace;
import dev.commitcast.core.Watermark;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.util.List;

import static dev.commitcast.api.support.Api.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The eviction broadcast, published by hand as the invalidator would: keys and namespaces evict L1, a sequence gap
 * and a flush-all message flush it, duplicates are ignored and malformed messages flush L1, both counted.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvictionBroadcastIT extends ApiTestSupport {

    @Inject
    EmbeddedServer server;
    @Inject
    MeterRegistry registry;

    private static final String FP = Repo.demoRules().fingerprint();

    private Api api;
    private RedisProbe redis;
    private EvictionCodec codec;
    private String channel;

    @BeforeAll
    void setUp() {
        api = new Api(server.getURI());
        redis = new RedisProbe();
        Rules rules = Repo.demoRules(keySpace());
        KeySpace keySpace = rules.keySpace();
        codec = new EvictionCodec(rules);
        channel = keySpace.evictionChannel();
    }

    @AfterAll
    void tearDown() {
        redis.close();
    }

    @Test
    void anEvictedKeyIsReadFromL2Next() {
        cacheInL1("/v1/orgs/1/users/50");
        long applied = messages("applied");
        publish(new EvictionMessage(FP, "keys-test", 1, System.currentTimeMillis(), List.of(DemoKeys.user(1, 50)),
                List.of(), null, false));
        Wait.until("the eviction was applied", () -> messages("applied") > applied);
        assertEquals("L2", header(api.get("/v1/orgs/1/users/50"), "X-Cache"));
        assertTrue(registry.find("commitcast.broadcast.delay").timer().count() > 0, "delay recorded");
    }

    @Test
    void aNamespaceEvictsOneOrganisationOnly() {
        cacheInL1("/v1/orgs/1/settings");
        cacheInL1("/v1/orgs/2/settings");
        long applied = messages("applied");
        publish(new EvictionMessage(FP, "namespace-test", 1, System.currentTimeMillis(), List.of(),
                List.of(DemoKeys.org(1)), null, false));
        Wait.until("the namespace eviction was applied", () -> messages("applied") > applied);
        assertEquals("L2", header(api.get("/v1/orgs/1/settings"), "X-Cache"));
        assertEquals("L1", header(api.get("/v1/orgs/2/settings"), "X-Cache"));
    }

    @Test
    void aSequenceGapFlushesL1() {
        publish(EvictionMessage.heartbeat(FP, "gap-test", 1, System.currentTimeMillis(), watermark()));
        cacheInL1("/v1/orgs/2/roles");
        long gaps = messages("gap");
        publish(EvictionMessage.heartbeat(FP, "gap-test", 3, System.currentTimeMillis(), watermark()));
        Wait.until("the gap was detected", () -> messages("gap") > gaps);
        assertEquals(1, Meters.count(registry, "commitcast.l1.flushes", "reason", "gap"));
        assertEquals("L2", header(api.get("/v1/orgs/2/roles"), "X-Cache"), "everything was flushed");
    }

    @Test
    void aFlushAllMessageFlushesL1() {
        cacheInL1("/v1/orgs/3/roles");
        long flushes = Meters.count(registry, "commitcast.l1.flushes", "reason", "broadcast");
        publish(new EvictionMessage(FP, "flush-test", 1, System.currentTimeMillis(), List.of(), List.of(), null, true));
        Wait.until("the flush was applied",
                () -> Meters.count(registry, "commitcast.l1.flushes", "reason", "broadcast") > flushes);
        assertEquals("L2", header(api.get("/v1/orgs/3/roles"), "X-Cache"));
    }

    @Test
    void duplicatesAreIgnored() {
        cacheInL1("/v1/orgs/3/users/301");
        EvictionMessage first = new EvictionMessage(FP, "dup-test", 1, System.currentTimeMillis(),
                List.of(DemoKeys.user(3, 302)), List.of(), null, false);
        long duplicates = messages("duplicate");
        publish(first);
        publish(first);
        Wait.until("the duplicate was ignored", () -> messages("duplicate") > duplicates);
        assertEquals("L1", header(api.get("/v1/orgs/3/users/301"), "X-Cache"), "nothing was flushed");
    }

    /** A message that cannot be read may have evicted anything: L1 is dropped rather than trusted. */
    @Test
    void aMalformedMessageFlushesL1() {
        for (String message : List.of("v2 " + keySpace() + " not-a-message", codec.encode(new EvictionMessage(FP,
                "malformed-test", 1, System.currentTimeMillis(), List.of(DemoKeys.user(3, 302)), List.of(), null,
                false)).replace(" k=", " k=no-such-kind:1,"))) {
            cacheInL1("/v1/orgs/3/users/301");
            long malformed = messages("malformed");
            redis.redis().publish(channel, message);
            Wait.until("the malformed message was seen", () -> messages("malformed") > malformed);
            assertEquals("L2", header(api.get("/v1/orgs/3/users/301"), "X-Cache"), "L1 was flushed: " + message);
        }
    }

    /**
     * A broadcast published under other rules (a half-finished deploy of a rules change) is not applied, flushes
     * L1 and makes the instance bypass its caches, saying so on /health/readiness and in a metric, until a broadcast
     * under its own rules arrives.
     */
    @Test
    void aBroadcastUnderOtherRulesIsNotAppliedAndTheCachesAreBypassedUntilTheyAgree() {
        cacheInL1("/v1/orgs/2/users/201");
        long foreign = messages("foreign-rules");
        redis.redis().publish(channel, codec.encode(EvictionMessage.heartbeat(FP, "rules-test", 1,
                System.currentTimeMillis(), watermark())).replace(" " + FP + " ", " 0123456789abcdef "));
        Wait.until("the foreign broadcast was seen", () -> messages("foreign-rules") > foreign);
        assertEquals("BYPASS", header(api.get("/v1/orgs/2/users/201"), "X-Cache"));
        assertEquals(1.0, registry.get("commitcast.rules.mismatch").gauge().value());
        String readiness = api.get("/health/readiness").body();
        assertTrue(readiness.contains("\"caches\":\"DEGRADED\"") && readiness.contains("0123456789abcdef"), readiness);
        assertEquals(1, Meters.count(registry, "commitcast.l1.flushes", "reason", "rules-differ"));

        publish(EvictionMessage.heartbeat(FP, "rules-test", 2, System.currentTimeMillis(), watermark()));
        Wait.until("the rules agree again", () -> registry.get("commitcast.rules.mismatch").gauge().value() == 0.0);
        assertEquals("L2", header(api.get("/v1/orgs/2/users/201"), "X-Cache"), "L1 was flushed when they agreed");
    }

    private void cacheInL1(String path) {
        api.get(path);
        assertEquals("L1", header(api.get(path), "X-Cache"), path);
    }

    private void publish(EvictionMessage message) {
        assertEquals(1L, redis.redis().publish(channel, codec.encode(message)), "one subscriber: the service");
    }

    private long messages(String outcome) {
        return Meters.count(registry, "commitcast.broadcast.messages", "outcome", outcome);
    }

    private static Watermark watermark() {
        return new Watermark(1, Instant.now());
    }
}
