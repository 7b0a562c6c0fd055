package dev.commitcast.redis;

import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Which Redis server process a connection talks to: its {@code run_id} ({@code INFO server}), a random id Redis
 * chooses at every start. A server that restarted — and may have loaded old values and fill leases from its RDB or
 * AOF files — or another server (a failover to a replica) has another one. The key space records the run id it was
 * last made consistent on ({@link dev.commitcast.core.KeySpace#serverKey()}).
 *
 * <p>On Redis Cluster the identity is {@code cluster:} followed by the sorted run ids of the masters that serve
 * slots, each checked to still be a master ({@code INFO replication}). A failover (a replica, which may lack the
 * last deletes its master acknowledged, took over), a restarted master or a node added to the masters changes it.
 * While not every slot has a live master the identity cannot be told, and the stage fails.
 */
public final class RedisServerIdentity {

    /** What a cluster identity starts with. */
    public static final String CLUSTER_PREFIX = "cluster:";

    private RedisServerIdentity() {
    }

    /** The server's run id, or the cluster's identity; fails when it cannot be told. */
    public static CompletionStage<String> runId(RedisClusterAsyncCommands<String, String> redis) {
        if (redis instanceof RedisAdvancedClusterAsyncCommands<String, String> cluster) {
            return clusterId(cluster.getStatefulConnection());
        }
        return redis.info("server").thenApply(RedisServerIdentity::parseRunId);
    }

    private static CompletionStage<String> clusterId(StatefulRedisClusterConnection<String, String> connection) {
        List<String> masters;
        try {
            masters = ClusterNodes.serving(connection.getPartitions());
        } catch (IllegalStateException e) {
            return CompletableFuture.failedStage(e);
        }
        List<CompletableFuture<String>> ids = new ArrayList<>();
        for (String nodeId : masters) {
            ids.add(connection.getConnectionAsync(nodeId).thenCompose(node -> node.async().info("replication")
                    .thenCombine(node.async().info("server"), (replication, server) -> {
                        if (!replication.contains("role:master")) {
                            throw new IllegalStateException("cluster node " + nodeId + " is no longer a master "
                                    + "(a failover in progress?)");
                        }
                        return parseRunId(server);
                    })).toCompletableFuture());
        }
        return CompletableFuture.allOf(ids.toArray(CompletableFuture[]::new)).thenApply(ignored ->
                CLUSTER_PREFIX + String.join(",", ids.stream().map(CompletableFuture::join).sorted().toList()));
    }

    /** The {@code run_id} field of an {@code INFO server} answer. */
    static String parseRunId(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("run_id:")) {
                return line.substring("run_id:".length()).strip();
            }
        }
        throw new IllegalStateException("INFO server has no run_id: " + info.lines().limit(5).toList());
    }
}
