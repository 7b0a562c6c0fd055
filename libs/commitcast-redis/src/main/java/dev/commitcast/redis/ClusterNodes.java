package dev.commitcast.redis;

import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Which nodes of a Redis Cluster serve its data, from a client's view of the topology: the masters that own slots
 * and are not marked failed. Used for per-node SCANs ({@link RedisInvalidation}) and the cluster's identity
 * ({@link RedisServerIdentity}). Stateless.
 */
final class ClusterNodes {

    private ClusterNodes() {
    }

    /**
     * Returns the node ids of the masters that serve slots, in a stable order.
     *
     * @throws IllegalStateException when those masters do not serve every one of the 16384 slots (a failover or a
     *                               reshard in progress, or a view not refreshed yet): a caller must not act on a
     *                               part of the cluster as if it were the whole, so it retries
     */
    static List<String> serving(Partitions partitions) {
        List<String> masters = new ArrayList<>();
        BitSet covered = new BitSet(dev.commitcast.core.HashSlot.SLOTS);
        for (RedisClusterNode node : partitions) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.is(RedisClusterNode.NodeFlag.FAIL)
                    && !node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL) && !node.getSlots().isEmpty()) {
                masters.add(node.getNodeId());
                node.getSlots().forEach(covered::set);
            }
        }
        int served = covered.cardinality();
        if (served < dev.commitcast.core.HashSlot.SLOTS) {
            throw new IllegalStateException("the Redis Cluster's live masters serve " + served + " of "
                    + dev.commitcast.core.HashSlot.SLOTS + " slots (a failover in progress?); retry when every slot "
                    + "has a master");
        }
        masters.sort(null);
        return masters;
    }
}
