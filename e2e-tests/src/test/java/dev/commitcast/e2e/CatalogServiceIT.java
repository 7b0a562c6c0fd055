package dev.commitcast.e2e;

import dev.commitcast.cli.ServiceProcess;
import dev.commitcast.core.Rules;
import dev.commitcast.devstack.DevStack;
import dev.commitcast.devstack.PostgresEndpoint;
import dev.commitcast.testsupport.Repo;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalog example service (examples/catalog/service, {@code @CommitcastCacheable} methods and no cache code) on
 * the real pipeline: two instances as their own JVMs and a third with its caches switched off (the truth). A change
 * made with plain SQL — to a product, a child row, a SKU, a category — is served fresh by both instances within the
 * pipeline's latency; under concurrent SQL writers and readers of both instances, every endpoint of both instances
 * ends equal to the cache-less one.
 */
class CatalogServiceIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String C1 = CatalogPipeline.C1;
    private static final String C2 = CatalogPipeline.C2;
    private static final String P1 = CatalogPipeline.P1;
    private static final String P2 = CatalogPipeline.P2;
    private static final DevStack STACK = DevStack.shared();

    private static CatalogPipeline pipeline;
    private static Rules rules;
    private static final List<ServiceProcess> processes = new ArrayList<>();
    private static final List<Api> cached = new ArrayList<>();
    private static Api truth;

    @BeforeAll
    static void start() throws Exception {
        pipeline = CatalogPipeline.start("e2e-catsvc",
                "insert into catalog.categories values ('" + C1 + "', 'Lights'), ('" + C2 + "', 'Chairs')",
                "insert into catalog.products (id, sku, name, category_id) values ('" + P1 + "', 'AB-1', 'Lamp', '"
                        + C1 + "'), ('" + P2 + "', 'CD-2', 'Stool', '" + C2 + "')",
                "insert into catalog.prices values ('" + P1 + "', 'EUR', 9.90), ('" + P2 + "', 'EUR', 25.00)");
        rules = pipeline.rules;
        PostgresEndpoint pg = STACK.postgres();
        for (String instance : List.of("catalog-1", "catalog-2", "catalog-truth")) {
            Map<String, String> env = new HashMap<>();
            env.put("CATALOG_JDBC_URL", pg.jdbcUrl(pipeline.database));
            env.put("CATALOG_PG_USER", pg.user());
            env.put("CATALOG_PG_PASSWORD", pg.password());
            env.put("COMMITCAST_RULES", Repo.catalogRulesFile().toString());
            env.put("COMMITCAST_REDIS_URL", STACK.redis().uri());
            env.put("COMMITCAST_KEY_SPACE", rules.keySpace().prefix());
            List<String> jvm = new ArrayList<>(List.of("-Xmx192m"));
            if (instance.endsWith("truth")) {
                jvm.add("-Dcommitcast.cache.enabled=false");
            }
            ServiceProcess process = ServiceProcess.start(Platform.ROOT, "examples/catalog/service", instance,
                    "dev.commitcast.examples.catalog.Application", freePort(), env, jvm,
                    Platform.ROOT.resolve("e2e-tests/target/e2e-logs"));
            processes.add(process);
            Api api = new Api(instance, process.baseUrl());
            if (instance.endsWith("truth")) {
                truth = api;
            } else {
                cached.add(api);
            }
        }
        for (ServiceProcess process : processes) {
            process.awaitHealthy(WAIT);
        }
        for (Api api : cached) {
            Wait.until(api + " trusts its caches", WAIT, () -> api.get("/health"),
                    r -> r.body().contains("\"caches\":\"TRUSTED\""));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        processes.forEach(ServiceProcess::stop);
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void plainSqlChangesAreServedFreshByBothInstances() throws Exception {
        warm("/products/" + P1, "/skus/AB-1", "/products/" + P1 + "/prices/EUR", "/categories/" + C1 + "/products",
                "/categories/" + C2 + "/products");
        String productKey = rules.keySpace().valueKey(rules.kind("product").key(UUID.fromString(P1)));
        RedisClient redis = RedisClient.create(STACK.redis().uri());
        try (var connection = redis.connect()) {
            assertEquals(1L, connection.sync().exists(productKey), "the annotated method's value is cached in Redis "
                    + "(else this test would pass without any cache): " + productKey);
        } finally {
            redis.shutdown();
        }

        long renamed = freshAfter(() -> sql("update catalog.products set name = 'Desk lamp' where id = '" + P1 + "'"),
                "/products/" + P1, "Desk lamp");
        freshAfter(() -> sql("update catalog.prices set amount = 12.50 where product_id = '" + P1 + "'"),
                "/products/" + P1 + "/prices/EUR", "12.5");
        freshAfter(() -> sql("insert into catalog.product_images (product_id, url) values ('" + P1
                + "', 'https://img.example/lamp.png')"), "/products/" + P1, "lamp.png"); // a child row
        freshAfter(() -> sql("update catalog.products set sku = 'AB-9', category_id = '" + C2 + "' where id = '"
                + P1 + "'"), "/categories/" + C2 + "/products", "AB-9");
        for (Api api : cached) {
            assertEquals(404, api.get("/skus/AB-1").status(), api + ": the old SKU is gone");
            Api.Reply lights = api.get("/categories/" + C1 + "/products");
            assertTrue(lights.body().contains("Lights") && !lights.body().contains(P1),
                    api + ": the product left its old category: " + lights.body());
        }
        System.out.println("catalog service: a product rename was served by both instances " + renamed
                + " ms after its COMMIT returned");
    }

    @Test
    void concurrentWritersAndReadersEndEqualToPostgres() throws Exception {
        List<String> paths = List.of("/products/" + P2, "/skus/CD-2", "/products/" + P2 + "/prices/EUR",
                "/categories/" + C2 + "/products");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                Api api = cached.get(r % 2);
                readers.add(pool.submit(() -> {
                    while (running.get()) {
                        api.get(paths.get(ThreadLocalRandom.current().nextInt(paths.size())));
                        reads.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (int i = 0; i < 60; i++) {
                sql("update catalog.products set name = 'Stool " + i + "' where id = '" + P2 + "'",
                        "update catalog.prices set amount = " + (20 + i) + " where product_id = '" + P2 + "'");
                if (i % 10 == 0) {
                    sql("insert into catalog.product_images (product_id, url) values ('" + P2 + "', 'img" + i + "')");
                }
                Thread.sleep(15);
            }
            running.set(false);
            for (Future<?> reader : readers) {
                reader.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (String path : paths) {
            String expected = truth.get(path).body();
            for (Api api : cached) {
                Wait.until(api + " " + path + " equals Postgres after the pipeline drained", WAIT,
                        () -> api.get(path), r -> r.body().equals(expected));
            }
        }
        assertTrue(reads.get() > 100, "readers ran: " + reads.get());
    }

    /** Reads each path on both instances until it comes from L1 or L2 (a second read of each). */
    private static void warm(String... paths) {
        for (String path : paths) {
            for (Api api : cached) {
                api.get(path);
                api.get(path);
            }
        }
    }

    /** Runs the change, then polls both instances every 2 ms until {@code path} contains {@code text}; millis. */
    private static long freshAfter(SqlChange change, String path, String text) throws Exception {
        change.run();
        long committed = System.nanoTime();
        for (Api api : cached) {
            Wait.until(api + " serves '" + text + "' at " + path, WAIT, () -> api.get(path),
                    r -> r.status() == 200 && r.body().contains(text));
        }
        return (System.nanoTime() - committed) / 1_000_000;
    }

    @FunctionalInterface
    private interface SqlChange {
        void run() throws Exception;
    }

    private static void sql(String... statements) throws Exception {
        pipeline.sql(statements);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
