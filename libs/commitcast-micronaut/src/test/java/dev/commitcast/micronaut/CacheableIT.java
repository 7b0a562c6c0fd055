package dev.commitcast.micronaut;

import dev.commitcast.client.CommitcastClient;
import dev.commitcast.client.FakePipeline;
import dev.commitcast.client.ValueEnvelope;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.Rules;
import dev.commitcast.devstack.DevStack;
import dev.commitcast.testsupport.QuickStart;
import dev.commitcast.testsupport.Repo;
import io.micronaut.context.ApplicationContext;
import io.micronaut.management.health.indicator.HealthIndicator;
import reactor.core.publisher.Mono;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code @Cacheable} methods of a Micronaut application read through the two-tier fenced cache, configured from
 * {@code commitcast.*} only, against a real Redis with the real protocol pieces playing the invalidator
 * ({@link FakePipeline}): values cached in L1 and Redis (as JSON in the client's envelope), invalidated by the
 * pipeline, "not found" cached; misuse and bad settings stop the start naming the method or key.
 */
class CacheableIT {

    private static final String PREFIX = "mn" + Long.toHexString(System.nanoTime());
    private static Rules rules;
    private static FakePipeline pipeline;
    private static ApplicationContext context;

    @BeforeAll
    static void start() throws Exception {
        rules = Rules.load(Repo.catalogRulesFile()).withKeySpacePrefix(PREFIX);
        pipeline = new FakePipeline(DevStack.shared().redis().uri(), rules);
        context = ApplicationContext.run(properties(Map.of()));
        assertTrue(context.getBean(CommitcastClient.class).awaitTrust(Duration.ofSeconds(10)));
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
        pipeline.close();
    }

    private static Map<String, Object> properties(Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("commitcast.rules", Repo.catalogRulesFile().toString());
        properties.put("commitcast.key-space", PREFIX);
        properties.put("commitcast.redis.uri", DevStack.shared().redis().uri());
        properties.putAll(extra);
        return properties;
    }

    @Test
    void aCacheableMethodReadsThroughBothTiersAndThePipelineInvalidatesIt() throws Exception {
        CatalogReads reads = context.getBean(CatalogReads.class);
        UUID product = UUID.randomUUID();
        reads.db.prices.put(product + "/EUR", new CatalogReads.Price("9.90", "EUR"));
        int before = reads.db.reads.get();
        assertEquals("9.90", reads.price(product, "EUR").amount());
        assertEquals("9.90", reads.price(product, "EUR").amount());
        assertEquals(before + 1, reads.db.reads.get(), "the second call was a cache hit");

        CacheKey key = rules.kind("price").key(product, "EUR");
        String stored = pipeline.redis().get(rules.keySpace().valueKey(key));
        byte[] envelope = stored.getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(ValueEnvelope.MAGIC, envelope[0]);
        assertTrue(new String(envelope, 3, envelope.length - 3, StandardCharsets.UTF_8).contains("\"amount\":\"9.90\""),
                "Redis holds the value as JSON: " + stored);

        reads.db.prices.put(product + "/EUR", new CatalogReads.Price("10.50", "EUR")); // the row changed
        pipeline.invalidate(key);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!"10.50".equals(reads.price(product, "EUR").amount())) {
            assertTrue(System.nanoTime() < deadline, "the pipeline's eviction reached the annotated method's cache");
            Thread.sleep(10);
        }
    }

    @Test
    void theReadmeShowsTheAnnotatedMethodThatRuns() throws Exception {
        assertNull(QuickStart.missingFrom("libs/commitcast-micronaut/README.md",
                "libs/commitcast-micronaut/src/test/java/dev/commitcast/micronaut/CatalogReads.java", ""));
        String readme = Files.readString(Repo.root().resolve("libs/commitcast-micronaut/README.md"));
        for (String key : new String[] {"commitcast:", "rules: examples/catalog/rules.yml", "redis:", "uri: "}) {
            assertTrue(readme.contains(key), "the README's configuration sets what this test sets: " + key);
        }
    }

    @Test
    void aChangeDuringTheMethodsReadIsNotCachedThroughTheAnnotationPath() throws Exception {
        CatalogReads reads = context.getBean(CatalogReads.class);
        UUID id = UUID.randomUUID();
        reads.productNames.put(id, "old");
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch changed = new CountDownLatch(1);
        reads.afterProductRead = () -> {
            read.countDown();
            try {
                changed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(
                () -> reads.product(id));
        assertTrue(read.await(5, TimeUnit.SECONDS));
        reads.afterProductRead = () -> { };
        reads.productNames.put(id, "new"); // the writer commits after the reader read...
        CacheKey key = rules.kind("product").key(id);
        pipeline.invalidate(key);           // ...and the pipeline invalidates before the reader fills
        Thread.sleep(200);                  // the broadcast's delivery (the Redis fence does not need it)
        changed.countDown();
        assertEquals("old", slow.get(5, TimeUnit.SECONDS), "answered to the read that began first");
        assertNull(pipeline.redis().get(rules.keySpace().valueKey(key)), "the old value did not reach Redis");
        assertEquals("new", reads.product(id), "nor L1: the next call reads again");
    }

    @Test
    void notFoundIsCachedAndACreateInvalidatesIt() throws Exception {
        CatalogReads reads = context.getBean(CatalogReads.class);
        String sku = "SKU-" + UUID.randomUUID();
        int before = reads.db.reads.get();
        assertNull(reads.productBySku(sku));
        assertNull(reads.productBySku(sku));
        assertEquals(before + 1, reads.db.reads.get(), "the absence was cached");

        reads.db.products.put(sku, "a product");
        pipeline.invalidate(rules.kind("product_by_sku").key(sku));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!"a product".equals(reads.productBySku(sku))) {
            assertTrue(System.nanoTime() < deadline, "the create reached the cache");
            Thread.sleep(10);
        }
    }

    @Test
    void theHealthIndicatorReportsTheCaches() {
        HealthIndicator health = context.getBeansOfType(HealthIndicator.class).stream()
                .filter(h -> h instanceof CommitcastHealthIndicator).findFirst().orElseThrow();
        String details = Mono.from(health.getResult()).block().getDetails().toString();
        assertTrue(details.contains("caches=TRUSTED") && details.contains("evictionSubscription=UP"), details);
    }

    @Test
    void cachesThatCannotWorkStopTheStartNamingEveryMethod() {
        Exception e = assertThrows(RuntimeException.class,
                () -> ApplicationContext.run(properties(Map.of("test.misused-caches", "true"))).close());
        String message = rootMessage(e);
        assertTrue(message.contains("MisusedCaches.notAtomic[id] on 'product': needs atomic = true"), message);
        assertTrue(message.contains("MisusedCaches.unbound[productId] on 'price': parameters [productId] cannot be "
                + "bound to the key parts [product, currency]"), message);
        assertTrue(message.contains("MisusedCaches.optional[id] on 'product': returns Optional"), message);
        assertTrue(message.contains("MisusedCaches.future[id] on 'product': returns CompletableFuture"), message);
        assertTrue(message.contains("cache 'prodcut' is not a kind of the rules"), message);
    }

    @Test
    void badSettingsStopTheStartNamingTheKey() {
        String timeout = rootMessage(assertThrows(RuntimeException.class, () -> ApplicationContext.run(
                properties(Map.of("commitcast.redis.command-timeout", "0ms"))).close()));
        assertTrue(timeout.contains("commitcast.redis.command-timeout"), timeout);
        String ttl = rootMessage(assertThrows(RuntimeException.class, () -> ApplicationContext.run(
                properties(Map.of("commitcast.cache.l1.max-ttl", "0ms"))).close()));
        assertTrue(ttl.contains("commitcast.cache.l1.max-ttl"), ttl);
        Map<String, Object> noRules = properties(Map.of());
        noRules.remove("commitcast.rules");
        String rulesMissing = rootMessage(assertThrows(RuntimeException.class,
                () -> ApplicationContext.run(noRules).close()));
        assertTrue(rulesMissing.contains("commitcast.rules: not set"), rulesMissing);
    }

    private static String rootMessage(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
