package dev.commitcast.client;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.Rules;
import dev.commitcast.devstack.DevStack;
import dev.commitcast.testsupport.QuickStart;
import dev.commitcast.testsupport.Repo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library on its own, against a real Redis and the real protocol pieces of {@code commitcast-redis} playing the
 * invalidator ({@link FakePipeline}), with the catalog example's rules (uuid and composite text keys): the README's
 * quick start as written, negative entries, single flight, fills fenced by key and namespace invalidations, garbage
 * in Redis, bypass when nothing vouches for the caches, the kill switch, Redis down, and clear errors for misuse.
 */
class TieredCacheIT {

    private static final Duration TRUST = Duration.ofSeconds(10);
    private static String redisUri;
    private static Rules rules;
    private static FakePipeline pipeline;

    /** A stand-in for the service's database: prices by product and currency, counting its reads. */
    static final class Database {
        final Map<String, String> prices = new ConcurrentHashMap<>();
        final AtomicInteger reads = new AtomicInteger();

        String price(UUID product, String currency) {
            reads.incrementAndGet();
            return prices.get(product + "/" + currency);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        redisUri = DevStack.shared().redis().uri();
        rules = Rules.load(Repo.catalogRulesFile()).withKeySpacePrefix("tc" + Long.toHexString(System.nanoTime()));
        pipeline = new FakePipeline(redisUri, rules);
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    @Test
    void theQuickStartRunsAsWritten() throws Exception {
        Database db = new Database();
        UUID productId = UUID.randomUUID();
        db.prices.put(productId + "/EUR", "9.90");
        // quick-start:begin
        try (CommitcastClient client = CommitcastClient.newBuilder(rules).redis(redisUri).build()) {
            client.awaitTrust(Duration.ofSeconds(10)); // optional: reads bypass the caches until the pipeline vouches
            TieredCache<String> prices = client.cache("price", ValueCodec.utf8());
            CacheKey key = rules.kind("price").key(productId, "EUR");

            String price = prices.get(key, k -> db.price(productId, "EUR")); // a miss: loads, fills Redis and L1
            String again = prices.get(key, k -> db.price(productId, "EUR")); // an L1 hit: the loader does not run
            // quick-start:end
            assertEquals("9.90", price);
            assertEquals("9.90", again);
            assertEquals(1, db.reads.get());
            assertEquals(Lookup.Source.L1, prices.lookup(key, k -> "unused").toCompletableFuture().get().source());
        }
    }

    @Test
    void theReadmeShowsTheQuickStartThatRuns() throws IOException {
        assertNull(QuickStart.missingFrom("libs/commitcast-client/README.md",
                "libs/commitcast-client/src/test/java/dev/commitcast/client/TieredCacheIT.java", "}"));
    }

    @Test
    void aMissingValueIsCachedAsANegativeEntry() throws Exception {
        try (CommitcastClient client = trustedClient()) {
            TieredCache<String> skus = client.cache("product_by_sku", ValueCodec.utf8());
            CacheKey key = rules.kind("product_by_sku").key("SKU-" + UUID.randomUUID());
            AtomicInteger loads = new AtomicInteger();
            Loader<String> none = k -> {
                loads.incrementAndGet();
                return null;
            };
            Lookup<String> first = skus.lookup(key, none).toCompletableFuture().get();
            assertEquals(Lookup.Source.MISS, first.source());
            assertFalse(first.found());
            assertNull(skus.get(key, none));
            assertEquals(1, loads.get(), "the absence was cached");
            assertArrayEquals(new byte[] {'c', 2, 0}, pipeline.redis().get(rules.keySpace().valueKey(key))
                    .getBytes(StandardCharsets.ISO_8859_1), "Redis holds the negative entry");

            double before = evictions("key");
            pipeline.invalidate(key); // a create of that SKU
            awaitEviction("key", before);
            assertEquals("created", skus.get(key, k -> "created"));
        }
    }

    @Test
    void concurrentReadsOfOneKeyShareOneLoad() throws Exception {
        try (CommitcastClient client = trustedClient()) {
            TieredCache<String> products = client.cache("product", ValueCodec.utf8());
            CacheKey key = rules.kind("product").key(UUID.randomUUID());
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger loads = new AtomicInteger();
            List<CompletableFuture<String>> reads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                reads.add(products.getAsync(key, k -> {
                    loads.incrementAndGet();
                    release.await();
                    return "product";
                }).toCompletableFuture());
            }
            release.countDown();
            for (CompletableFuture<String> read : reads) {
                assertEquals("product", read.get(5, TimeUnit.SECONDS));
            }
            assertEquals(1, loads.get());
        }
    }

    @Test
    void anInvalidationDuringALoadKeepsItsValueOutOfBothTiers() throws Exception {
        try (CommitcastClient client = trustedClient()) {
            TieredCache<String> products = client.cache("product", ValueCodec.utf8());
            CacheKey key = rules.kind("product").key(UUID.randomUUID());
            CountDownLatch loaded = new CountDownLatch(1);
            CountDownLatch invalidated = new CountDownLatch(1);
            CompletableFuture<String> slow = products.getAsync(key, k -> {
                loaded.countDown();
                invalidated.await();
                return "old";
            }).toCompletableFuture();
            assertTrue(loaded.await(5, TimeUnit.SECONDS));
            double before = evictions("key");
            pipeline.invalidate(key); // the row changed after the loader read it
            awaitEviction("key", before); // so the L1 fill comes after the eviction: the fence must drop it
            invalidated.countDown();
            assertEquals("old", slow.get(5, TimeUnit.SECONDS), "answered to the read that began before the change");

            assertNull(pipeline.redis().get(rules.keySpace().valueKey(key)), "the old value did not reach Redis");
            assertEquals("new", products.get(key, k -> "new"), "nor L1: the next read loads again");
        }
    }

    @Test
    void aNamespaceInvalidationDuringALoadKeepsItsValueOutOfBothTiers() throws Exception {
        try (CommitcastClient client = trustedClient()) {
            TieredCache<String> prices = client.cache("price", ValueCodec.utf8());
            UUID product = UUID.randomUUID();
            CacheKey key = rules.kind("price").key(product, "EUR");
            CountDownLatch loaded = new CountDownLatch(1);
            CountDownLatch invalidated = new CountDownLatch(1);
            CompletableFuture<String> slow = prices.getAsync(key, k -> {
                loaded.countDown();
                invalidated.await();
                return "old";
            }).toCompletableFuture();
            assertTrue(loaded.await(5, TimeUnit.SECONDS));
            double before = evictions("namespace");
            pipeline.invalidate(rules.parseNamespace("tag=" + product)); // the product was deleted
            awaitEviction("namespace", before);
            invalidated.countDown();
            assertEquals("old", slow.get(5, TimeUnit.SECONDS));

            assertNull(pipeline.redis().get(rules.keySpace().valueKey(key)), "the generation fenced the L2 fill");
            assertEquals("new", prices.get(key, k -> "new"), "and the broadcast the L1 fill");
        }
    }

    @Test
    void aReadPresentingAWritesLsnNeverReturnsAValueFromBeforeIt() throws Exception {
        try (CommitcastClient client = CommitcastClient.newBuilder(rules).redis(redisUri).meterRegistry(meters)
                .readYourWritesWait(Duration.ofSeconds(5)).build()) {
            assertTrue(client.awaitTrust(TRUST));
            TieredCache<String> products = client.cache("product", ValueCodec.utf8());
            CacheKey key = rules.kind("product").key(UUID.randomUUID());
            assertEquals("old", products.get(key, k -> "old"));
            assertEquals("old", products.get(key, k -> "unused", client.appliedLsn()), "applied: served from L1");

            long write = pipeline.futureLsn(); // the row changed at this LSN; the pipeline has not applied it yet
            CompletableFuture<Lookup<String>> read = products.lookup(key, k -> "new",
                    dev.commitcast.core.Watermark.pgLsn(write)).toCompletableFuture();
            Thread.sleep(300);
            assertFalse(read.isDone(), "the read waits for the pipeline to apply the write");
            pipeline.invalidateThrough(write, key);
            Lookup<String> answer = read.get(5, TimeUnit.SECONDS);
            assertEquals("new", answer.value());
            assertEquals(Lookup.Source.MISS, answer.source(), "after the eviction: from the source, then cached");
        }
        try (CommitcastClient client = CommitcastClient.newBuilder(rules).redis(redisUri).meterRegistry(meters)
                .build()) {
            assertTrue(client.awaitTrust(TRUST));
            TieredCache<String> products = client.cache("product", ValueCodec.utf8());
            CacheKey key = rules.kind("product").key(UUID.randomUUID());
            products.get(key, k -> "old");
            double bypassed = meters.get("commitcast.cache.bypass").tag("reason", "read_your_writes").counter()
                    .count();
            Lookup<String> late = products.lookup(key, k -> "new",
                    dev.commitcast.core.Watermark.pgLsn(pipeline.futureLsn())).toCompletableFuture().get();
            assertEquals("new", late.value(), "not applied within the default 100 ms: read from the source");
            assertEquals(Lookup.Source.BYPASS, late.source());
            assertEquals(bypassed + 1, meters.get("commitcast.cache.bypass").tag("reason", "read_your_writes")
                    .counter().count());
            assertThrows(IllegalArgumentException.class, () -> products.get(key, k -> "x", "yesterday"));
        }
    }

    @Test
    void anUndecodableRedisValueIsDeletedAndReloaded() throws Exception {
        try (CommitcastClient client = trustedClient()) {
            TieredCache<String> products = client.cache("product", ValueCodec.utf8());
            CacheKey key = rules.kind("product").key(UUID.randomUUID());
            String valueKey = rules.keySpace().valueKey(key);
            pipeline.redis().set(valueKey, "written by something else");
            assertEquals("fresh", products.get(key, k -> "fresh"));
            assertEquals("fresh", ValueEnvelope.decode(pipeline.redis().get(valueKey)
                    .getBytes(StandardCharsets.ISO_8859_1), ValueCodec.utf8()), "refilled with a valid envelope");
        }
    }

    @Test
    void withoutAPipelineVouchingForThemTheCachesAreBypassed() throws Exception {
        Rules unvouched = rules.withKeySpacePrefix("nopipe" + Long.toHexString(System.nanoTime()));
        try (CommitcastClient client = CommitcastClient.newBuilder(unvouched).redis(redisUri).build()) {
            TieredCache<String> products = client.cache("product", ValueCodec.utf8());
            CacheKey key = unvouched.kind("product").key(UUID.randomUUID());
            assertFalse(client.awaitTrust(Duration.ofMillis(700)));
            AtomicInteger loads = new AtomicInteger();
            for (int i = 0; i < 3; i++) {
                Lookup<String> read = products.lookup(key, k -> "v" + loads.incrementAndGet())
                        .toCompletableFuture().get();
                assertEquals(Lookup.Source.BYPASS, read.source());
            }
            assertEquals(3, loads.get());
            assertFalse(client.status().trusted());
            assertTrue(String.valueOf(client.status().serverProblem()).contains("none recorded yet"),
                    "no invalidator recorded this Redis server for the key space: " + client.status());
            assertNull(pipeline.redis().get(unvouched.keySpace().valueKey(key)), "nothing was cached");
        }
    }

    @Test
    void theKillSwitchServesEveryReadFromItsLoader() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (CommitcastClient client = CommitcastClient.newBuilder(rules).redis(redisUri).enabled(false)
                .meterRegistry(registry).build()) {
            TieredCache<String> products = client.cache("product", ValueCodec.utf8());
            CacheKey key = rules.kind("product").key(UUID.randomUUID());
            assertEquals(Lookup.Source.BYPASS, products.lookup(key, k -> "x").toCompletableFuture().get().source());
            assertEquals(1.0, registry.get("commitcast.cache.bypass").tag("reason", "disabled").counter().count());
        }
    }

    @Test
    void withRedisDownReadsAreServedByTheirLoaders() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (CommitcastClient client = CommitcastClient.newBuilder(rules).redis("redis://127.0.0.1:1")
                .connectTimeout(Duration.ofMillis(200)).stalenessGuard(false, Duration.ofSeconds(5))
                .meterRegistry(registry).build()) {
            TieredCache<String> products = client.cache("product", ValueCodec.utf8());
            CacheKey key = rules.kind("product").key(UUID.randomUUID());
            assertEquals("from the database", products.get(key, k -> "from the database"));
            assertFalse(client.status().l2Up());
            assertEquals(1.0, registry.get("commitcast.cache.fallbacks").tag("reason", "l2_unavailable").counter()
                    .count());
        }
    }

    @Test
    void misuseFailsWithAClearError() throws Exception {
        try (CommitcastClient client = CommitcastClient.newBuilder(rules).redis(redisUri)
                .stalenessGuard(false, Duration.ofSeconds(5)).build()) {
            TieredCache<String> products = client.cache("product", ValueCodec.utf8());
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> client.cache("prodcut", ValueCodec.utf8()));
            assertTrue(unknown.getMessage().contains("no kind 'prodcut'") && unknown.getMessage().contains("price"),
                    unknown.getMessage());
            IllegalStateException twice = assertThrows(IllegalStateException.class,
                    () -> client.cache("product", ValueCodec.bytes()));
            assertTrue(twice.getMessage().contains("'product' already has a cache"), twice.getMessage());
            CacheKey price = rules.kind("price").key(UUID.randomUUID(), "EUR");
            IllegalArgumentException otherKind = assertThrows(IllegalArgumentException.class,
                    () -> products.get(price, k -> "x"));
            assertTrue(otherKind.getMessage().contains("of kind 'price', this cache serves [product]"),
                    otherKind.getMessage());

            CacheKey key = rules.kind("product").key(UUID.randomUUID());
            IOException io = new IOException("database gone");
            CacheLoadException checked = assertThrows(CacheLoadException.class, () -> products.get(key, k -> {
                throw io;
            }));
            assertSame(io, checked.getCause());
            IllegalStateException unchecked = new IllegalStateException("bug");
            assertSame(unchecked, assertThrows(IllegalStateException.class, () -> products.get(key, k -> {
                throw unchecked;
            })));
            assertEquals("loaded after failures", products.get(key, k -> "loaded after failures"),
                    "a failed load caches nothing");
        }
        IllegalArgumentException setting = assertThrows(IllegalArgumentException.class,
                () -> CommitcastClient.newBuilder(rules).leaseTtl(Duration.ZERO));
        assertTrue(setting.getMessage().startsWith("leaseTtl must be within"), setting.getMessage());
        assertInstanceOf(IllegalArgumentException.class, assertThrows(RuntimeException.class,
                () -> CommitcastClient.newBuilder(rules).redis("http://127.0.0.1:6379")));
    }

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private CommitcastClient trustedClient() {
        CommitcastClient client = CommitcastClient.newBuilder(rules).redis(redisUri).meterRegistry(meters).build();
        assertTrue(client.awaitTrust(TRUST), "the fake pipeline vouches for the caches: " + client.status());
        return client;
    }

    /** Waits until an eviction of this scope ({@code key}, {@code namespace}) reached the client's L1. */
    private void awaitEviction(String scope, double before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (evictions(scope) <= before) {
            assertTrue(System.nanoTime() < deadline, "no " + scope + " eviction arrived on the broadcast");
            Thread.sleep(5);
        }
    }

    private double evictions(String scope) {
        return meters.get("commitcast.l1.evictions").tag("scope", scope).counter().count();
    }
}
