package dev.commitcast.e2e;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Rules;
import dev.commitcast.core.wire.EvictionCodec;
import dev.commitcast.core.wire.EvictionMessage;
import dev.commitcast.devstack.DevStack;
import dev.commitcast.testsupport.RedisMonitor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The second example proves the rules platform on a schema that is not the demo's and has no Java rule code: uuid,
 * text and composite keys, a child table that busts its parent, no tenant column, tables in the {@code catalog}
 * schema ({@code examples/catalog}: its migration and rules file). The real pipeline runs — Postgres, the connector,
 * Kafka, the invalidator — and for an INSERT, UPDATE (including key-column changes), DELETE and TRUNCATE of every
 * table, exactly the expected keys are deleted in Redis (watched with {@code MONITOR}: every {@code UNLINK} of the key
 * space) and broadcast, nothing else. The expectations are written out here, not computed from the rules.
 */
class CatalogPipelineIT {
    private static final Duration WAIT = CatalogPipeline.WAIT;
    private static final String C1 = CatalogPipeline.C1;
    private static final String C2 = CatalogPipeline.C2;
    private static final String C3 = CatalogPipeline.C3;
    private static final String P1 = CatalogPipeline.P1;
    private static final String P2 = CatalogPipeline.P2;

    private static final DevStack STACK = DevStack.shared();
    private static CatalogPipeline pipeline;
    private static String database;
    private static Rules rules;
    private static KeySpace space;
    private static RedisClient redisClient;
    private static StatefulRedisConnection<String, String> redis;
    private static StatefulRedisPubSubConnection<String, String> subscription;
    private static final List<EvictionMessage> broadcasts = new CopyOnWriteArrayList<>();
    private static RedisMonitor monitor;

    @BeforeAll
    static void start() throws Exception {
        pipeline = CatalogPipeline.start("e2e-cat",
                "insert into catalog.categories values ('" + C1 + "', 'Lights'), ('" + C2 + "', 'Chairs')",
                "insert into catalog.products (id, sku, name, category_id) values ('" + P1 + "', 'AB-1', 'Lamp', '"
                        + C1 + "')",
                "insert into catalog.prices values ('" + P1 + "', 'EUR', 9.90)");
        database = pipeline.database;
        rules = pipeline.rules;
        space = pipeline.space;

        redisClient = RedisClient.create(STACK.redis().uri());
        redis = redisClient.connect();
        EvictionCodec codec = new EvictionCodec(rules);
        subscription = redisClient.connectPubSub();
        subscription.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                broadcasts.add(codec.decode(message));
            }
        });
        subscription.sync().subscribe(space.evictionChannel());
        monitor = RedisMonitor.start(STACK.redis().uri());
        awaitApplied(currentLsn()); // the pipeline is live end to end before the first step
    }

    @AfterAll
    static void stop() throws Exception {
        if (monitor != null) {
            monitor.close();
        }
        if (subscription != null) {
            subscription.close();
            redis.close();
            redisClient.shutdown();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void everyChangeOfEveryTableDeletesAndBroadcastsExactlyItsKeys() throws Exception {
        step("insert a category", List.of(), keys("category:{" + C3 + "}:products"), Set.of(),
                "insert into catalog.categories values ('" + C3 + "', 'Tables')");
        step("rename a category", List.of(), keys("category:{" + C1 + "}:products"), Set.of(),
                "update catalog.categories set name = 'Lamps' where id = '" + C1 + "'");
        step("insert a product", List.of(), keys("product:{" + P2 + "}", "sku:X-2", "category:{" + C1 + "}:products"),
                Set.of(), "insert into catalog.products (id, sku, name, category_id) values ('" + P2
                        + "', 'X-2', 'Stool', '" + C1 + "')");
        step("a product changes its SKU and category: both SKUs and both categories", List.of(),
                keys("product:{" + P1 + "}", "sku:AB-1", "sku:AB-9", "category:{" + C1 + "}:products",
                        "category:{" + C2 + "}:products"), Set.of(),
                "update catalog.products set sku = 'AB-9', category_id = '" + C2 + "' where id = '" + P1 + "'");
        step("an updated_at-only change invalidates nothing", List.of(), keys(), Set.of(),
                "update catalog.products set updated_at = updated_at + interval '1 day' where id = '" + P1 + "'");
        step("insert a price", List.of(), keys("product:{" + P1 + "}:price:USD", "product:{" + P1 + "}"), Set.of(),
                "insert into catalog.prices values ('" + P1 + "', 'USD', 10.90)");
        step("a price changes its currency (a key column): both currencies", List.of(),
                keys("product:{" + P1 + "}:price:EUR", "product:{" + P1 + "}:price:GBP", "product:{" + P1 + "}"),
                Set.of(), "update catalog.prices set currency = 'GBP' where product_id = '" + P1
                        + "' and currency = 'EUR'");
        step("insert an image: the parent product", List.of(), keys("product:{" + P1 + "}"), Set.of(),
                "insert into catalog.product_images (product_id, url) values ('" + P1 + "', 'https://x/1.png')");
        step("update an image", List.of(), keys("product:{" + P1 + "}"), Set.of(),
                "update catalog.product_images set url = 'https://x/2.png' where product_id = '" + P1 + "'");
        step("delete an image", List.of(), keys("product:{" + P1 + "}"), Set.of(),
                "delete from catalog.product_images where product_id = '" + P1 + "'");
        step("delete a price", List.of(), keys("product:{" + P1 + "}:price:USD", "product:{" + P1 + "}"), Set.of(),
                "delete from catalog.prices where product_id = '" + P1 + "' and currency = 'USD'");
        // namespaces delete what SCAN finds: cached values are seeded first; only those of the namespace may go
        step("delete a product: its key and prices (a namespace under its hash tag), its SKU and category",
                List.of("product:{" + P2 + "}", "product:{" + P2 + "}:price:EUR", "product:{" + P1 + "}",
                        "product:{" + P1 + "}:price:GBP"),
                keys("sku:X-2", "category:{" + C1 + "}:products", "product:{" + P2 + "}",
                        "product:{" + P2 + "}:price:EUR"),
                Set.of("tag=" + P2 + ";kinds=product,price"),
                "delete from catalog.products where id = '" + P2 + "'");
        step("delete a category", List.of(), keys("category:{" + C3 + "}:products"), Set.of(),
                "delete from catalog.categories where id = '" + C3 + "'");
        step("truncate images: every product", List.of("product:{" + P1 + "}", "product:{" + P1 + "}:price:GBP",
                        "sku:AB-9"), keys("product:{" + P1 + "}"), Set.of("kinds=product"),
                "truncate catalog.product_images");
        step("truncate prices: every product and price", List.of("product:{" + P1 + "}",
                        "product:{" + P1 + "}:price:GBP", "sku:AB-9", "category:{" + C2 + "}:products"),
                keys("product:{" + P1 + "}", "product:{" + P1 + "}:price:GBP"), Set.of("kinds=product,price"),
                "truncate catalog.prices");
        step("truncate every table", List.of("product:{" + P1 + "}", "sku:AB-9", "category:{" + C2 + "}:products"),
                keys("product:{" + P1 + "}", "sku:AB-9", "category:{" + C2 + "}:products"),
                Set.of("*", "kinds=product,price", "kinds=product", "kinds=category_products"),
                "truncate catalog.categories, catalog.products, catalog.prices, catalog.product_images");
    }

    /** Paths of the keys a step's explicit keys name (the expected broadcast keys and UNLINKed values). */
    private static Set<String> keys(String... paths) {
        Set<String> set = new TreeSet<>();
        for (String path : paths) {
            set.add(rules.parseKey(path).path()); // fails the test on a typo in a path
        }
        return set;
    }

    /**
     * Seeds values, runs the statements in one transaction, waits until the pipeline applied it, then compares:
     * Redis' UNLINKs of this key space (values and leases) with {@code deleted} (each with its lease when it was
     * named as a key, without when only SCAN found it), the broadcast keys with the explicit keys among
     * {@code deleted}, the broadcast namespaces with {@code namespaces}.
     */
    private static void step(String what, List<String> seeded, Set<String> deleted, Set<String> namespaces,
                             String... statements) throws Exception {
        for (String path : seeded) {
            redis.sync().set(space.valueKey(rules.parseKey(path)), "cached");
        }
        monitor.sync(WAIT);
        monitor.clear();
        broadcasts.clear();
        long lsn = commit(statements);
        awaitApplied(lsn);
        monitor.sync(WAIT);

        Set<String> unlinked = new TreeSet<>();
        for (RedisMonitor.Command command : monitor.commands()) {
            if (command.name().equals("UNLINK") && !command.client().equals("lua")) {
                command.words().subList(1, command.words().size()).stream()
                        .filter(k -> k.startsWith(space.keyPrefix())).forEach(unlinked::add);
            }
        }
        Set<String> broadcastKeys = new TreeSet<>();
        Set<String> broadcastNamespaces = new TreeSet<>();
        for (EvictionMessage message : broadcasts) {
            message.keys().forEach(k -> broadcastKeys.add(k.path()));
            message.namespaces().forEach(n -> broadcastNamespaces.add(n.wire()));
        }
        Set<String> expectedBroadcastKeys = new TreeSet<>();
        Set<String> expectedUnlinked = new TreeSet<>();
        for (String path : deleted) {
            CacheKey key = rules.parseKey(path);
            boolean foundByScan = seeded.contains(path) && namespaces.stream()
                    .map(rules::parseNamespace).anyMatch(n -> n.matches(key));
            expectedUnlinked.add(space.valueKey(key));
            if (!foundByScan) {
                expectedBroadcastKeys.add(path);
                expectedUnlinked.add(space.leaseKey(key)); // named keys go with their lease, present or not
            }
        }
        assertEquals(expectedUnlinked, unlinked, what + ": the Redis keys deleted");
        assertEquals(expectedBroadcastKeys, broadcastKeys, what + ": the keys broadcast");
        assertEquals(new TreeSet<>(namespaces), broadcastNamespaces, what + ": the namespaces broadcast");
        for (String path : seeded) {
            CacheKey key = rules.parseKey(path);
            boolean gone = namespaces.stream().map(rules::parseNamespace).anyMatch(n -> n.matches(key))
                    || deleted.contains(path);
            assertEquals(!gone, redis.sync().exists(space.valueKey(key)) == 1, what + ": " + path
                    + (gone ? " is in a namespace of the change" : " is in none and survives"));
            redis.sync().del(space.valueKey(key));
        }
    }

    /** Waits until a broadcast carries a watermark at or past {@code lsn}: everything before it was applied. */
    private static void awaitApplied(long lsn) {
        Wait.until("the pipeline applied LSN " + lsn, WAIT, () -> broadcasts.stream()
                .anyMatch(m -> m.watermark() != null && m.watermark().lsn() >= lsn), applied -> applied);
    }

    private static long commit(String... statements) throws Exception {
        try (Connection c = STACK.postgres().connect(database)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String statement : statements) {
                    s.execute(statement);
                }
            }
            c.commit();
        }
        return currentLsn();
    }

    private static long currentLsn() throws Exception {
        try (Connection c = STACK.postgres().connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
