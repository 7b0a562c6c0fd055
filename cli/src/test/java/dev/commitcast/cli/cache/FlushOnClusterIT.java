package dev.commitcast.cli.cache;

import dev.commitcast.cli.CliRunner;
import dev.commitcast.cli.ExitCodes;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.HashSlot;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Rules;
import dev.commitcast.devstack.RedisCluster;
import dev.commitcast.redis.RedisClients;
import dev.commitcast.redis.RedisEndpoint;
import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.testsupport.Repo;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code flush} given a {@code redis-cluster://} URI: a hash-tag namespace and everything are deleted on a real
 * 3-master Redis Cluster, on whichever master each key lives; a cluster URI that names no port is refused with a
 * reason.
 */
class FlushOnClusterIT {

    @TempDir
    Path dir;

    @Test
    void flushesANamespaceAndEverythingOnEveryMaster() throws Exception {
        Rules rules = Repo.demoRules("flushc" + System.nanoTime() % 100_000);
        KeySpace space = rules.keySpace();
        ClientResources resources = DefaultClientResources.create();
        try (RedisCluster cluster = RedisCluster.start(dir, 3, 0);
             RedisClients clients = RedisClients.create(RedisEndpoint.of(cluster.clusterUri()),
                     new RedisClients.Bounds(Duration.ofSeconds(5), Duration.ofSeconds(5), 10_000, false),
                     resources)) {
            RedisClients.Link link = clients.connect();
            RedisClusterAsyncCommands<String, String> redis = link.async();
            List<CacheKey> keys = new ArrayList<>();
            Set<Integer> slots = new HashSet<>();
            for (int org = 1; org <= 40; org++) {
                keys.add(DemoKeys.roles(org));
            }
            keys.add(DemoKeys.user(42, 1));
            for (CacheKey key : keys) {
                slots.add(HashSlot.of(space.valueKey(key)));
                redis.set(space.valueKey(key), "v").get(5, TimeUnit.SECONDS);
            }
            assertTrue(slots.size() > 30, "keys on many slots");

            CliRunner.Run tag = flush(cluster, space, "--namespace", "tag=42", "--yes");
            assertEquals(ExitCodes.OK, tag.exit(), tag.all());
            assertTrue(tag.out().contains("deleted 1 Redis keys"), tag.all());
            assertEquals(0L, redis.exists(space.valueKey(DemoKeys.user(42, 1))).get(5, TimeUnit.SECONDS));

            CliRunner.Run all = flush(cluster, space, "--namespace", "*", "--yes");
            assertEquals(ExitCodes.OK, all.exit(), all.all());
            assertTrue(all.out().contains("deleted 40 Redis keys"), all.all());
            assertEquals(0L, redis.exists(keys.stream().map(space::valueKey).toArray(String[]::new))
                    .get(5, TimeUnit.SECONDS));
            link.close();
        } finally {
            RedisClients.shutdown(resources);
        }
    }

    @Test
    void aClusterUriWithoutPortIsRefusedWithAReason() {
        CliRunner.Run run = CliRunner.run("flush", "--redis", "redis-cluster://127.0.0.1", "--namespace", "*",
                "--yes", "--rules", Repo.demoRulesFile().toString());
        assertNotEquals(ExitCodes.OK, run.exit(), run.all());
        assertTrue(run.err().contains("seed node \"127.0.0.1\" is not host:port"), run.all());
    }

    private static CliRunner.Run flush(RedisCluster cluster, KeySpace space, String... args) {
        List<String> all = new ArrayList<>(List.of("flush", "--redis", cluster.clusterUri(), "--key-space",
                space.prefix(), "--rules", Repo.demoRulesFile().toString()));
        all.addAll(List.of(args));
        return CliRunner.run(all.toArray(String[]::new));
    }
}
