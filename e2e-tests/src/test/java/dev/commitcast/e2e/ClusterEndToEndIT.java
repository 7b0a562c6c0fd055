package dev.commitcast.e2e;

import dev.commitcast.devstack.RedisCluster;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link EndToEndIT}'s tests with every service on a 3-master Redis Cluster (issue 12.3): plain-SQL inserts,
 * updates, deletes and grants are served fresh by both instances, their L1s evicted, with L2, leases and
 * generations spread over the cluster's masters.
 */
class ClusterEndToEndIT extends EndToEndIT {
    private static RedisCluster cluster;

    @Override
    @BeforeAll
    void start() throws Exception {
        cluster = RedisCluster.start(Files.createTempDirectory("e2e-cluster-e2e"), 3, 0);
        platform = Platform.startOnRedis("e2e_cluster", 2, LONG_TTLS, cluster.clusterUri());
    }

    @Override
    @AfterAll
    void stop() {
        if (platform != null) {
            platform.close();
        }
        cluster.close();
    }
}
