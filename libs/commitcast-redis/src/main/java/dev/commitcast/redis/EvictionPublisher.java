package dev.commitcast.redis;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Namespace;
import dev.commitcast.core.Rules;
import dev.commitcast.core.Watermark;
import dev.commitcast.core.wire.EvictionCodec;
import dev.commitcast.core.wire.EvictionMessage;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Broadcasts L1 evictions to every cache instance over Redis pub/sub, and publishes the pipeline watermark.
 *
 * <p>Every message carries the rules fingerprint, this publisher's id (random per process) and a sequence number that
 * grows by one per message, so a receiver that misses a message sees a gap and flushes its L1, and one whose rules
 * differ knows it. Sequence assignment and the {@code PUBLISH} command are issued under one lock on one connection,
 * so messages reach Redis in sequence order. Large evictions are split into messages of at most
 * {@link #MAX_KEYS_PER_MESSAGE} keys; the watermark rides on the last one, so a receiver never sees the watermark
 * before the evictions it covers.
 *
 * <p>Callers must publish only after the corresponding Redis deletes succeeded (L1 is evicted after L2).
 * Thread-safe.
 */
public final class EvictionPublisher {
    /** Upper bound of keys in one broadcast message (keeps messages well below a few tens of KB). */
    public static final int MAX_KEYS_PER_MESSAGE = 500;

    private final RedisClusterAsyncCommands<String, String> redis;
    private final EvictionCodec codec;
    private final KeySpace keySpace;
    private final String fingerprint;
    private final Clock clock;
    private final String publisherId = EvictionMessage.newPublisherId();
    private long sequence; // guarded by this

    /** Publishes under these rules (their key space's channel, their fingerprint). */
    public EvictionPublisher(RedisClusterAsyncCommands<String, String> redis, Rules rules, Clock clock) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keySpace = rules.keySpace();
        this.fingerprint = rules.fingerprint();
        this.codec = new EvictionCodec(rules);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Returns this incarnation's publisher id. */
    public String publisherId() {
        return publisherId;
    }

    /**
     * Broadcasts the evictions (split into several messages when large) and, when given, the watermark they
     * complete. Completes when Redis accepted every message.
     */
    public CompletionStage<Void> publish(List<CacheKey> keys, List<Namespace> namespaces, Watermark watermark) {
        List<CompletableFuture<Long>> sent = new ArrayList<>();
        synchronized (this) {
            int chunks = Math.max(1, (keys.size() + MAX_KEYS_PER_MESSAGE - 1) / MAX_KEYS_PER_MESSAGE);
            for (int i = 0; i < chunks; i++) {
                boolean last = i == chunks - 1;
                List<CacheKey> chunk = keys.subList(i * MAX_KEYS_PER_MESSAGE,
                        Math.min(keys.size(), (i + 1) * MAX_KEYS_PER_MESSAGE));
                EvictionMessage message = new EvictionMessage(fingerprint, publisherId, ++sequence, clock.millis(),
                        chunk, last ? namespaces : List.of(), last ? watermark : null, false);
                sent.add(send(message));
            }
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
        return watermark == null ? all : all.thenCompose(done -> storeWatermark(watermark));
    }

    /** Tells every receiver to drop its whole L1 (e.g. after an event whose scope could not be determined). */
    public CompletionStage<Void> publishFlushAll(Watermark watermark) {
        CompletableFuture<Long> sent;
        synchronized (this) {
            sent = send(new EvictionMessage(fingerprint, publisherId, ++sequence, clock.millis(), List.of(),
                    List.of(), watermark, true));
        }
        return sent.thenApply(receivers -> null);
    }

    /** Publishes a heartbeat: no evictions, just the watermark, so receivers can bound their staleness. */
    public CompletionStage<Void> heartbeat(Watermark watermark) {
        Objects.requireNonNull(watermark, "watermark");
        CompletableFuture<Long> sent;
        synchronized (this) {
            sent = send(EvictionMessage.heartbeat(fingerprint, publisherId, ++sequence, clock.millis(), watermark));
        }
        return sent.thenCompose(receivers -> storeWatermark(watermark));
    }

    private CompletableFuture<Long> send(EvictionMessage message) {
        return redis.publish(keySpace.evictionChannel(), codec.encode(message)).toCompletableFuture();
    }

    /** Keeps the newest watermark in Redis too, for status tools and instances that start later. */
    private CompletionStage<Void> storeWatermark(Watermark watermark) {
        return redis.set(keySpace.watermarkKey(), watermark.wire()).thenApply(ok -> null);
    }
}
