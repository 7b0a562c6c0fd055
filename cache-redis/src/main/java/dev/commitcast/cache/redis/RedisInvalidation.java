package dev.commitcast.cache.redis;

import dev.commitcast.keys.CacheKey;
import dev.commitcast.keys.Invalidation;
import dev.commitcast.keys.KeyCodec;
import dev.commitcast.keys.Namespace;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Deletes cached values from Redis together with their fill leases: the one L2 invalidation entry point, used by
 * the invalidator for change events and by api-service for explicit invalidation.
 *
 * <p>Deleting the lease as well as the value is what fences concurrent fills: a reader that took its lease before
 * this call can no longer write its (possibly older) value, because its token is gone (see ADR-0003).
 *
 * <p>Keys are deleted with {@code UNLINK}, one command per organisation (all keys of an organisation share a hash
 * tag, so every command stays within one Redis Cluster slot); the commands of one call are pipelined on the shared
 * connection. Namespaces are deleted with a cursor {@code SCAN} in bounded pages, never collecting the whole key
 * space in memory. Deleting is idempotent: keys that do not exist are ignored.
 *
 * <p>Thread-safe. The returned stages complete exceptionally when Redis fails or times out (the connection's
 * command timeout applies); callers that need at-least-once semantics retry the whole call.
 */
public final class RedisInvalidation {
    /** Keys per SCAN page. */
    public static final int SCAN_PAGE = 1_000;

    private final RedisClusterAsyncCommands<String, String> redis;
    private final KeyCodec codec;

    /**
     * @param redis standalone ({@code RedisAsyncCommands}) or cluster ({@code RedisAdvancedClusterAsyncCommands})
     *              commands of a shared connection
     */
    public RedisInvalidation(RedisClusterAsyncCommands<String, String> redis, KeyCodec codec) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** Deletes the invalidation's keys and every key of its namespaces; completes with the number deleted. */
    public CompletionStage<Long> invalidate(Invalidation invalidation) {
        CompletionStage<Long> total = invalidate(invalidation.keys());
        for (Namespace namespace : invalidation.namespaces()) {
            total = total.thenCombine(invalidate(namespace), Long::sum);
        }
        return total;
    }

    /** Deletes the values and leases of the given keys; completes with the number of Redis keys deleted. */
    public CompletionStage<Long> invalidate(Collection<CacheKey> keys) {
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(0L);
        }
        Map<Long, List<String>> byOrg = new HashMap<>();
        for (CacheKey key : keys) {
            List<String> names = byOrg.computeIfAbsent(key.orgId(), org -> new ArrayList<>());
            names.add(codec.render(key));
            names.add(codec.leaseKey(key));
        }
        List<CompletableFuture<Long>> deletes = new ArrayList<>(byOrg.size());
        for (List<String> names : byOrg.values()) {
            deletes.add(redis.unlink(names.toArray(String[]::new)).toCompletableFuture());
        }
        return sum(deletes);
    }

    /** Deletes every value and lease in the namespace (cursor SCAN per pattern); completes with the number deleted. */
    public CompletionStage<Long> invalidate(Namespace namespace) {
        CompletionStage<Long> total = CompletableFuture.completedFuture(0L);
        for (String pattern : namespace.redisScanPatterns(codec.keySpace())) {
            ScanArgs args = ScanArgs.Builder.matches(pattern).limit(SCAN_PAGE);
            total = total.thenCompose(sofar -> scanAndDelete(ScanCursor.INITIAL, args, sofar));
        }
        return total;
    }

    private CompletionStage<Long> scanAndDelete(ScanCursor cursor, ScanArgs args, long deletedSoFar) {
        return redis.scan(cursor, args).thenCompose(page -> deletePage(page).thenCompose(deleted -> page.isFinished()
                ? CompletableFuture.completedFuture(deletedSoFar + deleted)
                : scanAndDelete(page, args, deletedSoFar + deleted)));
    }

    private CompletionStage<Long> deletePage(KeyScanCursor<String> page) {
        if (page.getKeys().isEmpty()) {
            return CompletableFuture.completedFuture(0L);
        }
        Map<String, List<String>> byTag = new HashMap<>();
        for (String key : page.getKeys()) {
            byTag.computeIfAbsent(hashTag(key), tag -> new ArrayList<>()).add(key);
        }
        List<CompletableFuture<Long>> deletes = new ArrayList<>(byTag.size());
        for (List<String> names : byTag.values()) {
            deletes.add(redis.unlink(names.toArray(String[]::new)).toCompletableFuture());
        }
        return sum(deletes);
    }

    /** The Redis Cluster hash tag of a key (the text between the first braces), or the key itself. */
    static String hashTag(String key) {
        int open = key.indexOf('{');
        int close = open < 0 ? -1 : key.indexOf('}', open + 1);
        return close > open + 1 ? key.substring(open + 1, close) : key;
    }

    private static CompletionStage<Long> sum(List<CompletableFuture<Long>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(done -> futures.stream().mapToLong(CompletableFuture::join).sum());
    }
}
