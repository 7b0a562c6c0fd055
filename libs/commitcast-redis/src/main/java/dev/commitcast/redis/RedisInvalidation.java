package dev.commitcast.redis;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.GenerationKeys;
import dev.commitcast.core.HashSlot;
import dev.commitcast.core.Invalidation;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Namespace;
import dev.commitcast.core.Rules;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Deletes cached values from Redis together with their fill leases: the one L2 invalidation entry point, used by the
 * invalidator for change events, by the cli ({@code replay}, {@code flush}) and by cache clients for explicit
 * invalidation.
 *
 * <p>Keys: their values and leases are {@code UNLINK}ed; deleting the lease fences a fill that raced with the
 * delete (its token is gone). Namespaces: first the fill generation of every slot the namespace can touch is
 * incremented ({@link GenerationKeys}: one slot for a hash-tag namespace, every slot otherwise), then the values and
 * leases are found with a cursor {@code SCAN} in bounded pages (never the whole key space in memory), parsed, and
 * those in the namespace deleted. Because the generation moved before the SCAN began, a fill whose lease was taken
 * before the invalidation cannot land after it, wherever the SCAN is (ADR-0006). Deleting is idempotent.
 *
 * <p>Works on standalone Redis and on Redis Cluster: deletes and increments are routed per slot by Lettuce; a
 * namespace SCAN runs on each master that serves slots, on that node's own connection ({@link ClusterNodes}), and
 * fails when the masters known do not serve all 16384 slots (a failover in progress), so the caller retries rather
 * than miss the keys of an unserved slot. Thread-safe. The returned stages complete exceptionally when Redis fails or times out; callers that need
 * at-least-once semantics retry the whole call.
 */
public final class RedisInvalidation {

    /** Keys per SCAN page. */
    public static final int SCAN_PAGE = 1_000;

    private static final LuaScript BUMP_ALL = new LuaScript("bump-generations", """
            for _, key in ipairs(KEYS) do redis.call('INCR', key) end
            return #KEYS
            """);

    /** Walks the keys matching a glob page by page; replaceable in tests to force an order. */
    interface Scanner {
        CompletionStage<Void> scan(String pattern, Function<List<String>, CompletionStage<Long>> page,
                                   long[] deleted);
    }

    private final RedisClusterAsyncCommands<String, String> redis;
    private final Rules rules;
    private final KeySpace keySpace;
    private final boolean cluster;
    private final Scanner scanner;

    /**
     * @param redis standalone ({@code RedisAsyncCommands}) or cluster ({@code RedisAdvancedClusterAsyncCommands})
     *              commands of a shared connection
     * @param rules the rules, in the key space to invalidate
     */
    public RedisInvalidation(RedisClusterAsyncCommands<String, String> redis, Rules rules) {
        this(redis, rules, null);
    }

    RedisInvalidation(RedisClusterAsyncCommands<String, String> redis, Rules rules, Scanner scanner) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.keySpace = rules.keySpace();
        this.cluster = redis instanceof RedisAdvancedClusterAsyncCommands;
        this.scanner = scanner != null ? scanner : this::scan;
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
        String[] names = new String[keys.size() * 2];
        int i = 0;
        for (CacheKey key : keys) {
            String value = keySpace.valueKey(key);
            names[i++] = value;
            names[i++] = KeySpace.leaseKeyOf(value);
        }
        // one command; Lettuce's cluster client splits it per slot
        return redis.unlink(names);
    }

    /**
     * Fences, then deletes every value and lease in the namespace; completes with the number deleted. Values of
     * other namespaces that a SCAN pattern also matches are left alone.
     */
    public CompletionStage<Long> invalidate(Namespace namespace) {
        long[] deleted = new long[1];
        CompletionStage<Void> done = bumpGenerations(namespace);
        for (String pattern : namespace.scanPatterns(keySpace)) {
            done = done.thenCompose(ignored -> scanner.scan(pattern, page -> deletePage(namespace, page), deleted));
        }
        return done.thenApply(ignored -> deleted[0]); // pages run one after another: no concurrent updates
    }

    /**
     * Increments the fill generation of every slot the namespace can touch: its hash tag's slot, or all slots.
     * After this completes, no fill whose lease was taken before it can land in the namespace.
     */
    public CompletionStage<Void> bumpGenerations(Namespace namespace) {
        if (namespace.hashTag().isPresent()) {
            return redis.incr(GenerationKeys.key(keySpace, HashSlot.ofTag(namespace.hashTag().get())))
                    .thenApply(ignored -> null);
        }
        if (!cluster) {
            String[] all = new String[HashSlot.SLOTS];
            for (int slot = 0; slot < HashSlot.SLOTS; slot++) {
                all[slot] = GenerationKeys.key(keySpace, slot);
            }
            return BUMP_ALL.<Long>run(redis, ScriptOutputType.INTEGER, all).thenApply(ignored -> null);
        }
        List<CompletableFuture<Long>> bumps = new ArrayList<>(HashSlot.SLOTS);
        for (int slot = 0; slot < HashSlot.SLOTS; slot++) {
            bumps.add(redis.incr(GenerationKeys.key(keySpace, slot)).toCompletableFuture());
        }
        return CompletableFuture.allOf(bumps.toArray(CompletableFuture[]::new));
    }

    private CompletionStage<Long> deletePage(Namespace namespace, List<String> keys) {
        List<String> doomed = new ArrayList<>(keys.size());
        for (String key : keys) {
            if (namespace.isEverything()) {
                doomed.add(key); // everything under <prefix>:v<n>: is this key space's, parsable or not
                continue;
            }
            CacheKey parsed = rules.keyOfRedisKey(key);
            if (parsed != null && namespace.matches(parsed)) {
                doomed.add(key);
            }
        }
        if (doomed.isEmpty()) {
            return CompletableFuture.completedFuture(0L);
        }
        return redis.unlink(doomed.toArray(String[]::new));
    }

    private CompletionStage<Void> scan(String pattern, Function<List<String>, CompletionStage<Long>> page,
                                       long[] deleted) {
        ScanArgs args = ScanArgs.Builder.matches(pattern).limit(SCAN_PAGE);
        if (!cluster) {
            return scanFrom(redis, ScanCursor.INITIAL, args, page, deleted, Runnable::run);
        }
        StatefulRedisClusterConnection<String, String> connection =
                ((RedisAdvancedClusterAsyncCommands<String, String>) redis).getStatefulConnection();
        List<String> masters;
        try {
            masters = ClusterNodes.serving(connection.getPartitions());
        } catch (IllegalStateException e) {
            return CompletableFuture.failedStage(e);
        }
        // Continuations leave Lettuce's I/O threads: a chain of SCANs across nodes completed on them can stall one.
        CompletionStage<Void> done = CompletableFuture.completedFuture(null);
        for (String nodeId : masters) {
            done = done.thenComposeAsync(ignored -> connection.getConnectionAsync(nodeId), CONTINUATIONS)
                    .thenComposeAsync((StatefulRedisConnection<String, String> node) -> scanFrom(node.async(),
                            ScanCursor.INITIAL, args, page, deleted, CONTINUATIONS), CONTINUATIONS);
        }
        return done;
    }

    private static CompletionStage<Void> scanFrom(RedisClusterAsyncCommands<String, String> node, ScanCursor cursor,
                                                  ScanArgs args, Function<List<String>, CompletionStage<Long>> page,
                                                  long[] deleted, Executor executor) {
        return node.scan(cursor, args).thenComposeAsync((KeyScanCursor<String> result) ->
                page.apply(result.getKeys()).thenComposeAsync(count -> {
                    deleted[0] += count;
                    return result.isFinished() ? CompletableFuture.<Void>completedFuture(null)
                            : scanFrom(node, result, args, page, deleted, executor);
                }, executor), executor);
    }

    /** Runs cluster SCAN continuations off Lettuce's I/O threads; daemon threads, created on demand. */
    private static final Executor CONTINUATIONS = Executors.newCachedThreadPool(runnable -> Thread.ofPlatform()
            .daemon().name("redis-cluster-scan").unstarted(runnable));
}
