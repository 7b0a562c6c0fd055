package dev.commitcast.cli.platform;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.Invalidation;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Namespace;
import dev.commitcast.core.Rules;
import dev.commitcast.redis.EvictionPublisher;
import dev.commitcast.redis.RedisInvalidation;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The invalidator's effects, for commands: delete values and fill leases in Redis ({@link RedisInvalidation}, L2),
 * then broadcast the evictions to every api-service ({@link EvictionPublisher}, L1) — always in that order, so an
 * instance never refills L1 from an L2 value that is about to be deleted. The broadcasts carry no watermark: a
 * command does not advance the pipeline's applied position. Not thread-safe.
 */
public final class RedisEffects {
    /** Bound of one apply or flush (namespace deletes SCAN the key space, which takes a while on a big Redis). */
    public static final Duration TIMEOUT = Duration.ofMinutes(5);

    /** What one call did. */
    public record Applied(long redisKeysDeleted, int broadcasts) {
    }

    private final RedisInvalidation invalidation;
    private final EvictionPublisher publisher;
    private final KeySpace keySpace;

    public RedisEffects(RedisSession session, Rules rules) {
        this.keySpace = rules.keySpace();
        this.invalidation = new RedisInvalidation(session.async(), rules);
        this.publisher = new EvictionPublisher(session.async(), rules, Clock.systemUTC());
    }

    /** Deletes the invalidation's keys and namespaces, then broadcasts them; nothing for an empty invalidation. */
    public Applied apply(Invalidation what) {
        if (what.isEmpty()) {
            return new Applied(0, 0);
        }
        long deleted = await(() -> invalidation.invalidate(what), "delete of " + what.keys().size() + " keys and "
                + what.namespaces().size() + " namespaces");
        List<CacheKey> keys = List.copyOf(what.keys());
        await(() -> publisher.publish(keys, List.copyOf(what.namespaces()), null), "L1 broadcast");
        int messages = Math.max(1, (keys.size() + EvictionPublisher.MAX_KEYS_PER_MESSAGE - 1)
                / EvictionPublisher.MAX_KEYS_PER_MESSAGE);
        return new Applied(deleted, messages);
    }

    /**
     * Deletes every key of the namespace, then broadcasts it; for everything the broadcast tells every instance to
     * drop its whole L1.
     */
    public Applied flush(Namespace namespace) {
        long deleted = await(() -> invalidation.invalidate(namespace), "delete of namespace " + namespace.wire());
        if (namespace.isEverything()) {
            await(() -> publisher.publishFlushAll(null), "L1 flush-all broadcast");
        } else {
            await(() -> publisher.publish(List.of(), List.of(namespace), null), "L1 broadcast");
        }
        return new Applied(deleted, 1);
    }

    /** The pub/sub channel the broadcasts go to. */
    public String channel() {
        return keySpace.evictionChannel();
    }

    private static <T> T await(Supplier<CompletionStage<T>> call, String what) {
        try {
            return call.get().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Redis failed during the " + what + ": " + Failures.rootMessage(e), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Redis did not finish the " + what + " within " + TIMEOUT, e);
        }
    }
}
