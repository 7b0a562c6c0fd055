package dev.commitcast.e2e;

import dev.commitcast.devstack.RedisCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12.3: the whole platform — connector, invalidator, two cached API instances and a cache-less one as the
 * truth — on a 3-master Redis Cluster with two replicas per master (devstack {@link RedisCluster}), under
 * {@link FaultLoad}'s write and read load, while masters are killed with SIGKILL one after another and their
 * replicas take over. A replica may lack the last deletes its master acknowledged, so after each failover the
 * invalidator must invalidate everything before it publishes a watermark again, and the API instances must stop
 * trusting their caches until it has (they watch the cluster's identity). Holds: every read presenting a
 * read-your-writes token is answered with that write or a later one, and after the writers stop and the pipeline
 * drained every cache equals Postgres. {@code -Dcommitcast.e2e.cluster.seconds} sets the load phase (default 30 s).
 */
class RedisClusterFailoverIT {
    private static Path dir;
    private static RedisCluster cluster;
    private static Platform platform;
    private static Api truth;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("e2e-redis-cluster");
        cluster = RedisCluster.start(dir, 3, 2); // two replicas each: enough for six failovers
        Map<String, String> properties = new HashMap<>(EndToEndIT.LONG_TTLS);
        properties.put("commitcast.staleness.budget", "3s");
        platform = Platform.startOnRedis("cluster", 2, properties, cluster.clusterUri());
        truth = platform.addApi("truth", Map.of("commitcast.cache.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void mastersFailingOverUnderLoadServeNoValueOlderThanItsToken() throws Exception {
        Duration duration = Duration.ofSeconds(Long.getLong("commitcast.e2e.cluster.seconds", 30));
        FaultLoad.Action failover = () -> {
            List<Integer> candidates = cluster.mastersWithReplica();
            if (candidates.isEmpty()) {
                throw new IllegalStateException("no master has a replica left to take over: " + cluster.masterPorts());
            }
            cluster.kill(candidates.getFirst());
            cluster.awaitHealthy(Duration.ofSeconds(30));
        };
        List<FaultLoad.Fault> faults = List.of(
                new FaultLoad.Fault("kill -9 a master (its replica takes over)", failover),
                new FaultLoad.Fault("kill -9 another master", failover));
        FaultLoad.Result result = new FaultLoad(platform, truth, "redis-cluster").run(duration, faults);
        String summary = result.summary() + "masters at the end: " + cluster.masterPorts() + System.lineSeparator();
        System.out.println(summary);
        Files.writeString(Platform.ROOT.resolve("e2e-tests").resolve("target").resolve("redis-cluster-summary.txt"),
                summary);
        result.assertHeld(faults.size(), summary);
    }
}
