package dev.commitcast.api.cache;

import dev.commitcast.redis.RedisInvalidation;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.Rules;
import dev.commitcast.core.Namespace;
import io.lettuce.core.api.async.RedisAsyncCommands;
import jakarta.inject.Singleton;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The one explicit invalidation entry point of this instance: deletes values and their fill leases from Redis
 * (through {@code commitcast-redis}'s {@link RedisInvalidation}, so concurrent fills are fenced), then evicts them from
 * the local L1 through {@link L1Evictions}. Other instances learn of it from the invalidator's broadcast, not from
 * here. L1 is evicted even when Redis fails; the stage then fails so the caller can retry. Thread-safe.
 */
@Singleton
public final class CacheInvalidator {

    private final RedisConnector connector;
    private final Rules rules;
    private final L1Evictions evictions;
    private volatile RedisInvalidation redis;
    private volatile RedisAsyncCommands<String, String> redisCommands;

    CacheInvalidator(RedisConnector connector, Rules rules, L1Evictions evictions) {
        this.connector = connector;
        this.rules = rules;
        this.evictions = evictions;
    }

    /** Invalidates the keys in L2 and then L1; completes with the number of Redis keys deleted. */
    public CompletionStage<Long> invalidate(Collection<CacheKey> keys) {
        List<CacheKey> copy = List.copyOf(keys);
        RedisInvalidation invalidation = redis();
        if (invalidation == null) {
            evictions.evict(copy);
            return CompletableFuture.failedStage(new L2UnavailableException("Redis not connected yet"));
        }
        return invalidation.invalidate(copy).whenComplete((deleted, error) -> evictions.evict(copy));
    }

    /** Invalidates every key of the namespace in L2 and then L1. */
    public CompletionStage<Long> invalidate(Namespace namespace) {
        RedisInvalidation invalidation = redis();
        if (invalidation == null) {
            evictions.evict(namespace);
            return CompletableFuture.failedStage(new L2UnavailableException("Redis not connected yet"));
        }
        return invalidation.invalidate(namespace).whenComplete((deleted, error) -> evictions.evict(namespace));
    }

    private RedisInvalidation redis() {
        RedisAsyncCommands<String, String> commands = connector.commands();
        if (commands == null) {
            return null;
        }
        if (commands != redisCommands) {
            redis = new RedisInvalidation(commands, rules);
            redisCommands = commands;
        }
        return redis;
    }
}
