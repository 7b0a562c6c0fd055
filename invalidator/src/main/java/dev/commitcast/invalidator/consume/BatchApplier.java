package dev.commitcast.invalidator.consume;

import dev.commitcast.redis.EvictionPublisher;
import dev.commitcast.redis.RedisInvalidation;
import dev.commitcast.invalidator.continuity.KeySpaceContinuity;
import dev.commitcast.invalidator.apply.ApplyHooks;
import dev.commitcast.invalidator.apply.Await;
import dev.commitcast.invalidator.apply.BatchInfo;
import dev.commitcast.invalidator.dlq.DeadLetterPublisher;
import dev.commitcast.invalidator.health.InvalidatorMetrics;
import dev.commitcast.invalidator.watermark.PartitionWatermarks;
import dev.commitcast.invalidator.watermark.WatermarkTracker;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.Invalidation;
import dev.commitcast.core.Namespace;
import dev.commitcast.core.Watermark;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One attempt to apply a {@link Batch}, in the order that makes a crash at any point safe:
 * <ol>
 *   <li>markers under other rules suspend, agreeing ones after them resume {@link KeySpaceContinuity};</li>
 *   <li>dead letters produced and acknowledged (only those not acknowledged by an earlier attempt);</li>
 *   <li>{@link ApplyHooks#beforeDelete}; Redis deletes of values and fill leases, namespaces by SCAN (L2);</li>
 *   <li>{@link ApplyHooks#afterDelete}; the global watermark computed (stored partition watermarks overlaid with
 *       this batch's markers) if {@link KeySpaceContinuity#vouch()} (which may invalidate everything first); the L1
 *       broadcast of the keys and namespaces carrying it;</li>
 *   <li>the batch's partition watermarks stored (after the broadcast, so no instance publishes a watermark that
 *       covers evictions not yet broadcast); {@link ApplyHooks#beforeCommit}.</li>
 * </ol>
 * Every step is idempotent, so the consume loop retries a failed attempt from the top; the offsets are committed by
 * the caller after a successful attempt only. Metrics are recorded once, for the successful attempt.
 *
 * <p>Confined to the consumer thread.
 */
final class BatchApplier {

    private final DeadLetterPublisher deadLetters;
    private final RedisInvalidation redis;
    private final EvictionPublisher broadcast;
    private final PartitionWatermarks partitionWatermarks;
    private final WatermarkTracker watermarks;
    private final KeySpaceContinuity continuity;
    private final ApplyHooks hooks;
    private final InvalidatorMetrics metrics;
    private final Duration timeout;
    private final Clock clock;

    BatchApplier(DeadLetterPublisher deadLetters, RedisInvalidation redis, EvictionPublisher broadcast,
                 PartitionWatermarks partitionWatermarks, WatermarkTracker watermarks, KeySpaceContinuity continuity,
                 ApplyHooks hooks, InvalidatorMetrics metrics, Duration timeout, Clock clock) {
        this.deadLetters = deadLetters;
        this.redis = redis;
        this.broadcast = broadcast;
        this.partitionWatermarks = partitionWatermarks;
        this.watermarks = watermarks;
        this.continuity = continuity;
        this.hooks = hooks;
        this.metrics = metrics;
        this.timeout = timeout;
        this.clock = clock;
    }

    /**
     * Applies the batch once.
     *
     * @throws dev.commitcast.invalidator.apply.RetriableStepException when a step failed; retry the whole call
     */
    void apply(Batch batch, int attempt) {
        if (attempt == 1) {
            metrics.consumed(batch.changeCommitTimes, clock.instant());
        }
        if (batch.foreignMarkers) {
            continuity.suspend();
        }
        if (Boolean.TRUE.equals(batch.lastMarkerAgrees)) {
            continuity.resume();
        }
        metrics.deadLettered(deadLetters.sendAll(batch.pendingDeadLetters));
        BatchInfo info = batch.info(attempt);
        Invalidation invalidation = batch.invalidation;

        hooks.beforeDelete(info);
        long removed = invalidation.isEmpty() ? 0
                : Await.redis(() -> redis.invalidate(invalidation), timeout, "delete of " + invalidation.keys().size()
                        + " keys and " + invalidation.namespaces().size() + " namespaces");
        Instant deleted = clock.instant();
        hooks.afterDelete(info);

        Optional<Watermark> global = continuity.vouch() ? watermarks.compute(batch.markers) : Optional.empty();
        Instant broadcastAt = null;
        if (!invalidation.isEmpty() || global.isPresent()) {
            List<CacheKey> keys = List.copyOf(invalidation.keys());
            List<Namespace> namespaces = List.copyOf(invalidation.namespaces());
            Watermark watermark = global.orElse(null);
            Await.redis(() -> broadcast.publish(keys, namespaces, watermark), timeout, "L1 broadcast");
            broadcastAt = clock.instant();
        }
        partitionWatermarks.storeNewer(batch.markers);
        hooks.beforeCommit(info);

        if (global.isPresent()) {
            watermarks.broadcastSent();
        }
        record(batch, removed, deleted, broadcastAt);
    }

    private void record(Batch batch, long removed, Instant deleted, Instant broadcastAt) {
        metrics.batch(batch.records);
        metrics.recordsApplied(batch.changes);
        metrics.tombstones(batch.tombstones);
        metrics.markers(batch.markerRecords);
        metrics.deleted(batch.invalidation.keys().size(), batch.invalidation.namespaces().size(), removed);
        metrics.deleteDone(batch.changeCommitTimes, deleted);
        if (broadcastAt != null) {
            metrics.broadcastSent(batch.changeCommitTimes, broadcastAt);
        }
        batch.newestCommit.forEach(metrics::applied);
    }
}
