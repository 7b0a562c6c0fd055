package dev.commitcast.invalidator.watermark;

import dev.commitcast.invalidator.apply.Await;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Watermark;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The per-partition watermarks of every invalidator instance of a key space, in one Redis hash
 * {@code <keyspace>:sys:watermarks}: field {@code <topic>/<partition>}, value {@code <orderKey>|<wire>}
 * ({@link Watermark#orderKey()}, {@link Watermark#wire()}). Each instance
 * writes the partitions it applied; every instance reads the whole hash to compute the global watermark.
 *
 * <p>Writes never move a partition backwards: a partition re-consumed after a crash or a rebalance (or written by
 * a zombie that lost it) meets an older marker again, and a Lua script keeps the later one (by commit time, then
 * LSN: after a continuity reset LSNs may start lower). Thread-safe.
 */
public final class PartitionWatermarks {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionWatermarks.class);

    /**
     * ARGV = field, orderKey, value triples; writes a field only if its stored order key is lower (a value without
     * one, of an older version, always is). Returns fields written.
     */
    static final String STORE_NEWER = """
            local written = 0
            for i = 1, #ARGV, 3 do
              local current = redis.call('HGET', KEYS[1], ARGV[i])
              local key = ''
              if current then key = string.match(current, '^([^|]*)|') or '' end
              if key < ARGV[i + 1] then
                redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 2])
                written = written + 1
              end
            end
            return written
            """;

    private final RedisClusterAsyncCommands<String, String> redis;
    private final String hashKey;
    private final Duration timeout;

    public PartitionWatermarks(RedisClusterAsyncCommands<String, String> redis, KeySpace keySpace, Duration timeout) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.hashKey = hashKey(keySpace);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Returns the hash's key, {@link KeySpace#partitionWatermarksKey()}, e.g. {@code cc:sys:watermarks}. */
    public static String hashKey(KeySpace keySpace) {
        return keySpace.partitionWatermarksKey();
    }

    /** Returns the hash field of a partition, {@code <topic>/<partition>} ({@code /} cannot occur in a topic). */
    public static String field(TopicPartition partition) {
        return partition.topic() + "/" + partition.partition();
    }

    /** Parses {@link #field}; {@code null} if it is not one. */
    static TopicPartition parseField(String field) {
        int slash = field.lastIndexOf('/');
        if (slash <= 0) {
            return null;
        }
        try {
            return new TopicPartition(field.substring(0, slash), Integer.parseInt(field.substring(slash + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Reads every stored partition watermark; fields that do not parse are logged and skipped.
     *
     * @throws dev.commitcast.invalidator.apply.RetriableStepException when Redis fails
     */
    public Map<TopicPartition, Watermark> readAll() {
        Map<String, String> hash = Await.redis(() -> redis.hgetall(hashKey), timeout, "HGETALL " + hashKey);
        Map<TopicPartition, Watermark> result = new HashMap<>(hash.size() * 2);
        hash.forEach((field, wire) -> {
            TopicPartition partition = parseField(field);
            try {
                if (partition == null) {
                    throw new IllegalArgumentException("field is not <topic>/<partition>");
                }
                int bar = wire.indexOf('|');
                result.put(partition, Watermark.parseWire(bar < 0 ? wire : wire.substring(bar + 1)));
            } catch (IllegalArgumentException e) {
                LOG.warn("Ignoring watermark field '{}'='{}' of {}: {}", field, wire, hashKey, e.getMessage());
            }
        });
        return result;
    }

    /**
     * Stores the partitions' watermarks where they are newer than the stored ones.
     *
     * @throws dev.commitcast.invalidator.apply.RetriableStepException when Redis fails
     */
    public void storeNewer(Map<TopicPartition, Watermark> watermarks) {
        if (watermarks.isEmpty()) {
            return;
        }
        String[] args = new String[watermarks.size() * 3];
        int i = 0;
        for (Map.Entry<TopicPartition, Watermark> e : watermarks.entrySet()) {
            args[i++] = field(e.getKey());
            args[i++] = e.getValue().orderKey();
            args[i++] = e.getValue().orderKey() + "|" + e.getValue().wire();
        }
        Await.redis(() -> redis.<Long>eval(STORE_NEWER, ScriptOutputType.INTEGER, new String[] {hashKey}, args),
                timeout, "store partition watermarks in " + hashKey);
    }
}
