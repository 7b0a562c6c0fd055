package dev.commitcast.e2e;

import dev.commitcast.devstack.RedisCluster;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link ConsistencyIT} with every service on a 3-master Redis Cluster with one replica each (issue 12.3), and one
 * master killed with SIGKILL in the middle of the write phase, its replica taking over: after the watermark passes
 * the last write, every cached answer still equals Postgres.
 */
class ClusterConsistencyIT extends ConsistencyIT {
    private static RedisCluster cluster;

    @Override
    @BeforeAll
    void start() throws Exception {
        cluster = RedisCluster.start(Files.createTempDirectory("e2e-cluster-consistency"), 3, 1);
        platform = Platform.startOnRedis("consistency_cluster", 2, EndToEndIT.LONG_TTLS, cluster.clusterUri());
        truth = platform.addApi("truth", Map.of("commitcast.cache.enabled", "false"));
    }

    @Override
    @AfterAll
    void stop() {
        if (platform != null) {
            platform.close();
        }
        cluster.close();
    }

    @Override
    void duringLoad() {
        cluster.kill(cluster.mastersWithReplica().getFirst());
        cluster.awaitHealthy(Duration.ofSeconds(30));
    }
}
