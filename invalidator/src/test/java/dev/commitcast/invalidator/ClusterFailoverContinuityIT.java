package dev.commitcast.invalidator;

import static dev.commitcast.invalidator.support.Fixture.WAIT;
import static dev.commitcast.testsupport.Envelopes.change;
import static dev.commitcast.testsupport.Envelopes.key;
import static dev.commitcast.testsupport.Envelopes.row;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.HashSlot;
import dev.commitcast.devstack.RedisCluster;
import dev.commitcast.invalidator.apply.ApplyHooks;
import dev.commitcast.invalidator.support.Fixture;
import dev.commitcast.redis.RedisClients;
import dev.commitcast.redis.RedisEndpoint;
import dev.commitcast.redis.RedisServerIdentity;
import dev.commitcast.testsupport.DemoKeys;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The invalidator on a 3-master Redis Cluster: it applies change events there, records the cluster's identity (the
 * run ids of its masters) as the one the key space is consistent on, and when a master fails over — its replica,
 * which may lack deletes the master acknowledged, takes over — it invalidates everything on every master before it
 * publishes its next watermark, and records the new identity. Values cached on masters that did not fail over are
 * invalidated too: which deletes the lost master had not replicated cannot be known, and over-invalidating is the
 * safe side.
 */
class ClusterFailoverContinuityIT {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MICROS).minusSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aFailoverInvalidatesEverythingBeforeTheNextWatermark() throws Exception {
        ClientResources resources = DefaultClientResources.create();
        try (RedisCluster cluster = RedisCluster.start(dir, 3, 1);
             Fixture fx = new Fixture("cluster-failover");
             RedisClients clients = RedisClients.create(RedisEndpoint.of(cluster.clusterUri()),
                     new RedisClients.Bounds(Duration.ofSeconds(5), Duration.ofSeconds(5), 10_000, true), resources)) {
            RedisClients.Link link = clients.connect();
            RedisClusterAsyncCommands<String, String> redis = link.async();
            fx.createTopics(1, "users");
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            Invalidator invalidator = Invalidator.builder(fx.config(cluster.clusterUri()).build())
                    .hooks(ApplyHooks.NONE).meterRegistry(registry).start();
            try {
                // 1. first start on this cluster: nothing recorded, so everything is invalidated and the identity kept
                fx.sendMarker("users", 0, 100, T0);
                await().atMost(WAIT).until(() -> get(redis, fx.keySpace.watermarkKey()) != null);
                String identity = get(redis, fx.keySpace.serverKey());
                assertTrue(identity.startsWith(RedisServerIdentity.CLUSTER_PREFIX), identity);
                assertEquals(identity, get(RedisServerIdentity.runId(redis)));
                assertEquals(1.0, fullInvalidations(registry, "unknown"));

                // 2. change events are applied on the cluster
                List<CacheKey> cached = new ArrayList<>();
                Set<Integer> slots = new HashSet<>();
                for (int org = 1; org <= 60; org++) {
                    CacheKey key = DemoKeys.user(org, 9);
                    cached.add(key);
                    slots.add(HashSlot.of(fx.keySpace.valueKey(key)));
                    get(redis.set(fx.keySpace.valueKey(key), "{\"cached\":true}"));
                }
                fx.send("users", 0, key("id", 9), change("users", "u", row("id", 9, "org_id", 1, "email", "a@x.io"),
                        row("id", 9, "org_id", 1, "email", "b@x.io"), 101));
                await().atMost(WAIT).until(() -> get(redis.exists(fx.keySpace.valueKey(DemoKeys.user(1, 9)))) == 0);
                assertEquals(59L, get(redis.exists(cached.stream().map(fx.keySpace::valueKey).toArray(String[]::new))),
                        "only the changed user's key is deleted");

                // 3. a master fails over: everything goes, on every master, before the next watermark
                String watermarkBefore = get(redis, fx.keySpace.watermarkKey());
                cluster.kill(cluster.mastersWithReplica().getFirst());
                cluster.awaitHealthy(Duration.ofSeconds(30));
                fx.sendMarker("users", 0, 200, T0.plusSeconds(1));
                await().atMost(WAIT).ignoreExceptions().until(() -> !watermarkBefore.equals(get(redis, fx.keySpace.watermarkKey())));
                // this test's own client may route to the dead master until its next topology refresh: read until it can
                String after = await().atMost(WAIT).ignoreExceptions()
                        .until(() -> get(redis, fx.keySpace.serverKey()), recorded -> !identity.equals(recorded));
                assertNotEquals(identity, after, "the new identity is recorded");
                // this test's own client may still be catching up with the new topology (its identity fails, or is
                // the old one, until its next refresh): the recorded identity is the cluster's as every client sees it
                await().atMost(WAIT).ignoreExceptions().until(() -> after.equals(get(RedisServerIdentity.runId(redis))));
                assertEquals(1.0, fullInvalidations(registry, "redis-changed"));
                long left = await().atMost(WAIT).ignoreExceptions().until(() -> get(redis.exists(
                        cached.stream().map(fx.keySpace::valueKey).toArray(String[]::new))), count -> true);
                assertEquals(0L, left,
                        "values of every slot (" + slots.size() + " slots) are invalidated, not only the lost master's");
            } finally {
                invalidator.close();
                link.close();
            }
        } finally {
            RedisClients.shutdown(resources);
        }
    }

    private static String get(RedisClusterAsyncCommands<String, String> redis, String key) throws Exception {
        return get(redis.get(key));
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static double fullInvalidations(SimpleMeterRegistry registry, String reason) {
        return registry.get("commitcast.invalidator.full.invalidations").tag("reason", reason).counter().count();
    }
}
