package dev.commitcast.api.broadcast;

import dev.commitcast.api.support.Api;
import dev.commitcast.api.support.ApiTestSupport;
import dev.commitcast.api.support.Meters;
import dev.commitcast.api.support.RedisProbe;
import dev.commitcast.api.support.Wait;
import dev.commitcast.keys.CacheKey;
import dev.commitcast.keys.EvictionCodec;
import dev.commitcast.keys.EvictionMessage;
import dev.commitcast.keys.KeySpace;
import dev.commitcast.keys.Namespace;
import dev.commitcast.keys.Watermark;
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
 * and a flush-all message flush it, duplicates and malformed messages are ignored and counted.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvictionBroadcastIT extends ApiTestSupport {

    @Inject
    EmbeddedServer server;
    @Inject
    MeterRegistry registry;

    private Api api;
    private RedisProbe redis;
    private EvictionCodec codec;
    private String channel;

    @BeforeAll
    void setUp() {
        api = new Api(server.getURI());
        redis = new RedisProbe();
        KeySpace keySpace = new KeySpace(keySpace());
        codec = new EvictionCodec(keySpace);
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
        publish(new EvictionMessage("keys-test", 1, System.currentTimeMillis(), List.of(CacheKey.user(1, 50)),
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
        publish(new EvictionMessage("namespace-test", 1, System.currentTimeMillis(), List.of(),
                List.of(Namespace.org(1)), null, false));
        Wait.until("the namespace eviction was applied", () -> messages("applied") > applied);
        assertEquals("L2", header(api.get("/v1/orgs/1/settings"), "X-Cache"));
        assertEquals("L1", header(api.get("/v1/orgs/2/settings"), "X-Cache"));
    }

    @Test
    void aSequenceGapFlushesL1() {
        publish(EvictionMessage.heartbeat("gap-test", 1, System.currentTimeMillis(), watermark()));
        cacheInL1("/v1/orgs/2/roles");
        long gaps = messages("gap");
        publish(EvictionMessage.heartbeat("gap-test", 3, System.currentTimeMillis(), watermark()));
        Wait.until("the gap was detected", () -> messages("gap") > gaps);
        assertEquals(1, Meters.count(registry, "commitcast.l1.flushes", "reason", "gap"));
        assertEquals("L2", header(api.get("/v1/orgs/2/roles"), "X-Cache"), "everything was flushed");
    }

    @Test
    void aFlushAllMessageFlushesL1() {
        cacheInL1("/v1/orgs/3/roles");
        long flushes = Meters.count(registry, "commitcast.l1.flushes", "reason", "broadcast");
        publish(new EvictionMessage("flush-test", 1, System.currentTimeMillis(), List.of(), List.of(), null, true));
        Wait.until("the flush was applied",
                () -> Meters.count(registry, "commitcast.l1.flushes", "reason", "broadcast") > flushes);
        assertEquals("L2", header(api.get("/v1/orgs/3/roles"), "X-Cache"));
    }

    @Test
    void duplicatesAndMalformedMessagesAreIgnored() {
        cacheInL1("/v1/orgs/3/users/301");
        EvictionMessage first = new EvictionMessage("dup-test", 1, System.currentTimeMillis(),
                List.of(CacheKey.user(3, 302)), List.of(), null, false);
        long duplicates = messages("duplicate");
        long malformed = messages("malformed");
        publish(first);
        publish(first);
        redis.redis().publish(channel, "v1 " + keySpace() + " not-a-message");
        redis.redis().publish(channel, codec.encode(first).replace(keySpace(), "other-space"));
        Wait.until("the duplicate was ignored", () -> messages("duplicate") > duplicates);
        Wait.until("both malformed messages were ignored", () -> messages("malformed") >= malformed + 2);
        assertEquals("L1", header(api.get("/v1/orgs/3/users/301"), "X-Cache"), "nothing was flushed");
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
