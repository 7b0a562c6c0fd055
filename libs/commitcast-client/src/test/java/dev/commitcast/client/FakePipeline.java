package dev.commitcast.client;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.Namespace;
import dev.commitcast.core.Rules;
import dev.commitcast.core.Watermark;
import dev.commitcast.redis.EvictionPublisher;
import dev.commitcast.redis.RedisInvalidation;
import dev.commitcast.redis.RedisServerIdentity;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays the invalidator for a client under test, with the real protocol pieces of {@code commitcast-redis}: records
 * the Redis server's run id (the key space is "consistent" on it), broadcasts a heartbeat with a fresh watermark every
 * 200 ms, and invalidates like the invalidator does (Redis first, then the broadcast).
 */
public final class FakePipeline implements AutoCloseable {

    private final RedisClient redis;
    private final StatefulRedisConnection<String, String> connection;
    private final EvictionPublisher publisher;
    private final RedisInvalidation invalidation;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong lsn = new AtomicLong(100);

    /** Records the server and starts the heartbeats. */
    public FakePipeline(String redisUri, Rules rules) throws Exception {
        redis = RedisClient.create(redisUri);
        connection = redis.connect();
        publisher = new EvictionPublisher(connection.async(), rules, Clock.systemUTC());
        invalidation = new RedisInvalidation(connection.async(), rules);
        String runId = RedisServerIdentity.runId(connection.async()).toCompletableFuture().get();
        connection.sync().set(rules.keySpace().serverKey(), runId);
        heartbeats.scheduleWithFixedDelay(() -> publisher.heartbeat(watermark()), 0, 200, TimeUnit.MILLISECONDS);
    }

    /** Deletes the keys in Redis, then broadcasts their eviction; returns when both are done. */
    public void invalidate(CacheKey... keys) throws Exception {
        invalidation.invalidate(List.of(keys)).toCompletableFuture().get();
        publisher.publish(List.of(keys), List.of(), watermark()).toCompletableFuture().get();
    }

    /** Returns an LSN well past every watermark sent so far: a write the pipeline has not applied yet. */
    public long futureLsn() {
        return lsn.get() + 1_000_000;
    }

    /**
     * Invalidates the keys like {@link #invalidate(CacheKey...)}, with a watermark at {@code through}: the write at
     * that LSN has been applied. Later heartbeats continue from there.
     */
    public void invalidateThrough(long through, CacheKey... keys) throws Exception {
        lsn.accumulateAndGet(through, Math::max);
        invalidation.invalidate(List.of(keys)).toCompletableFuture().get();
        publisher.publish(List.of(keys), List.of(), new Watermark(through, java.time.Instant.now()))
                .toCompletableFuture().get();
    }

    /** Bumps the namespace's generation and deletes its keys, then broadcasts it. */
    public void invalidate(Namespace namespace) throws Exception {
        invalidation.invalidate(namespace).toCompletableFuture().get();
        publisher.publish(List.of(), List.of(namespace), watermark()).toCompletableFuture().get();
    }

    /** The test's own Redis commands. */
    public io.lettuce.core.api.sync.RedisCommands<String, String> redis() {
        return connection.sync();
    }

    private Watermark watermark() {
        return new Watermark(lsn.incrementAndGet(), java.time.Instant.now());
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
        connection.close();
        redis.shutdown();
    }
}
