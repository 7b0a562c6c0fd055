package dev.commitcast.redis;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.GenerationKeys;
import dev.commitcast.core.HashSlot;
import dev.commitcast.core.Invalidation;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Rules;
import dev.commitcast.core.Watermark;
import dev.commitcast.devstack.RedisCluster;
import dev.commitcast.testsupport.Repo;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Redis side of the protocol on a real 3-master Redis Cluster with one replica each (devstack
 * {@link RedisCluster}): the lease and fill scripts for kinds with and without a hash tag (no CROSSSLOT), deletes of
 * keys of many slots, namespace invalidation reaching every master, the eviction broadcast reaching a subscriber on
 * another node, and the cluster's identity changing when a master fails over. The failover test runs last: it
 * leaves the cluster without that replica.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
class RedisClusterIT {
    private static final AtomicInteger SPACES = new AtomicInteger();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    private static RedisCluster cluster;
    private static ClientResources resources;
    private static RedisClients clients;
    private static RedisClients.Link link;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start(dir, 3, 1);
        resources = DefaultClientResources.create();
        clients = RedisClients.create(RedisEndpoint.of(cluster.clusterUri()).validate("test"),
                new RedisClients.Bounds(TIMEOUT, TIMEOUT, 10_000, true), resources);
        link = clients.connectAsync(StringCodec.UTF8).toCompletableFuture().join();
    }

    @AfterAll
    static void stop() {
        if (link != null) {
            link.close();
        }
        if (clients != null) {
            clients.close();
            RedisClients.shutdown(resources);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private final RedisClusterAsyncCommands<String, String> redis = link.async();

    @Test
    void leaseAndFillRunOnOneSlotWithAndWithoutAHashTag() throws Exception {
        assertTrue(clients.isCluster() && redis instanceof RedisAdvancedClusterAsyncCommands);
        Rules catalog = Rules.load(Repo.catalogRulesFile()).withKeySpacePrefix("fill" + SPACES.incrementAndGet());
        CacheKey tagged = catalog.kind("price").key(UUID.randomUUID().toString(), "EUR");
        CacheKey untagged = catalog.kind("product_by_sku").key("SKU-" + UUID.randomUUID());
        for (CacheKey key : List.of(tagged, untagged)) {
            String[] keys = FillProtocol.keys(catalog.keySpace(), key);
            assertEquals(1, new HashSet<>(List.of(HashSlot.of(keys[0]), HashSlot.of(keys[1]), HashSlot.of(keys[2]))).size(),
                    List.of(keys).toString());
            List<Object> lease = await(FillProtocol.LEASE.<List<Object>>run(redis, ScriptOutputType.MULTI, keys, "t1", "10000"));
            assertEquals(FillProtocol.GRANTED, lease.getFirst(), key + " lease");
            Long filled = await(FillProtocol.FILL.<Long>run(redis, ScriptOutputType.INTEGER, keys, "t1", "v", "60000"));
            assertEquals(1L, filled, key + " fill");
            assertEquals("v", await(redis.get(keys[0])));
        }
        // a namespace invalidation of the untagged kind bumps every slot's generation and deletes on every master
        CacheKey sku2 = catalog.kind("product_by_sku").key("SKU-second");
        String[] second = FillProtocol.keys(catalog.keySpace(), sku2);
        assertEquals(FillProtocol.GRANTED, ((List<?>) await(FillProtocol.LEASE.<List<Object>>run(redis, ScriptOutputType.MULTI,
                second, "t2", "10000"))).getFirst());
        RedisInvalidation invalidation = new RedisInvalidation(redis, catalog);
        await(invalidation.invalidate(catalog.parseNamespace("kinds=product_by_sku")));
        assertEquals(Long.valueOf(0), FillProtocol.FILL.<Long>run(redis, ScriptOutputType.INTEGER, second, "t2", "old", "60000").toCompletableFuture().get(),
                "a fill leased before the namespace invalidation is fenced off");
        assertEquals(0L, await(redis.exists(catalog.keySpace().valueKey(untagged), second[0])));
        assertEquals("v", await(redis.get(catalog.keySpace().valueKey(tagged))), "other kinds are left alone");
    }

    @Test
    void deletesKeysOfEverySlotAndNamespacesOnEveryMaster() throws Exception {
        Rules rules = Repo.demoRules("del" + SPACES.incrementAndGet());
        KeySpace space = rules.keySpace();
        List<CacheKey> keys = new ArrayList<>();
        Set<Integer> slots = new HashSet<>();
        for (int org = 1; org <= 300; org++) {
            CacheKey key = rules.kind("user").key(org, 9);
            keys.add(key);
            slots.add(HashSlot.of(space.valueKey(key)));
            await(redis.set(space.valueKey(key), "v"));
            await(redis.set(space.leaseKey(key), "token:0"));
        }
        assertTrue(slots.size() > 250, "keys spread over many slots: " + slots.size());
        RedisInvalidation invalidation = new RedisInvalidation(redis, rules);
        assertEquals(600L, await(invalidation.invalidate(keys.subList(0, 300))));
        for (CacheKey key : keys) {
            assertEquals(0L, await(redis.exists(space.valueKey(key), space.leaseKey(key))), key.toString());
        }

        // everything: one value per master at least, found by SCANs on each master's own connection
        Set<Integer> masters = new HashSet<>();
        for (int org = 1; org <= 60; org++) {
            CacheKey key = rules.kind("roles").key(org);
            await(redis.set(space.valueKey(key), "v"));
        }
        Rules other = Repo.demoRules("other" + SPACES.incrementAndGet());
        CacheKey untouched = other.kind("roles").key(1);
        await(redis.set(other.keySpace().valueKey(untouched), "v"));
        long deleted = await(invalidation.invalidate(Invalidation.of(rules.parseNamespace("*"))));
        assertEquals(60L, deleted);
        for (int port : cluster.masterPorts()) {
            masters.add(port);
        }
        assertEquals(3, masters.size());
        assertEquals(1L, await(redis.exists(other.keySpace().valueKey(untouched))), "another key space is kept");
        String generation = await(redis.get(GenerationKeys.key(space, HashSlot.of(space.valueKey(keys.getFirst())))));
        assertEquals("1", generation, "the namespace fenced every slot once");
    }

    @Test
    void broadcastsReachASubscriberConnectedToAnotherNode() throws Exception {
        Rules rules = Repo.demoRules("bc" + SPACES.incrementAndGet());
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        StatefulRedisPubSubConnection<String, String> subscriber = await(clients.connectPubSubAsync());
        try {
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    received.add(message);
                }
            });
            await(subscriber.async().subscribe(rules.keySpace().evictionChannel()));
            EvictionPublisher publisher = new EvictionPublisher(redis, rules, Clock.systemUTC());
            await(publisher.publish(List.of(rules.kind("user").key(42, 9)), List.of(), new Watermark(1234L, java.time.Instant.now())));
            String message = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(message, "the broadcast reached the subscriber");
            assertTrue(message.contains("user:9"), message);
            assertNotNull(await(redis.get(rules.keySpace().watermarkKey())), "the watermark is stored");
        } finally {
            subscriber.close();
        }
    }

    @Test
    void zzIdentityChangesWhenAMasterFailsOver() throws Exception {
        String before = await(RedisServerIdentity.runId(redis));
        assertTrue(before.startsWith(RedisServerIdentity.CLUSTER_PREFIX), before);
        assertEquals(3, before.substring(RedisServerIdentity.CLUSTER_PREFIX.length()).split(",").length, before);
        assertEquals(before, await(RedisServerIdentity.runId(redis)), "stable while nothing happens");

        int victim = cluster.mastersWithReplica().getFirst();
        cluster.kill(victim);
        cluster.awaitHealthy(Duration.ofSeconds(30));
        String after = null;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < until) {
            try {
                after = await(RedisServerIdentity.runId(redis));
                if (!after.equals(before)) {
                    break;
                }
            } catch (Exception e) {
                after = "failed: " + e; // this client's view of the topology is still moving: ask again
            }
            Thread.sleep(200);
        }
        assertTrue(after != null && !after.startsWith("failed: "), "the identity can be told again: " + after);
        assertNotEquals(before, after, "a failover changes the cluster's identity");
        assertTrue(after.startsWith(RedisServerIdentity.CLUSTER_PREFIX), after);
        assertEquals(3, after.substring(RedisServerIdentity.CLUSTER_PREFIX.length()).split(",").length, after);

        // and the client keeps working on the new topology
        Rules rules = Repo.demoRules("fo" + SPACES.incrementAndGet());
        RedisInvalidation invalidation = new RedisInvalidation(redis, rules);
        await(redis.set(rules.keySpace().valueKey(rules.kind("roles").key(5)), "v"));
        assertEquals(1L, await(invalidation.invalidate(Invalidation.of(rules.parseNamespace("*")))),
                "a namespace invalidation on the new topology");
    }
}
