package dev.commitcast.invalidator.watermark;

import dev.commitcast.invalidator.continuity.KeySpaceContinuity;
import dev.commitcast.redis.EvictionPublisher;
import dev.commitcast.invalidator.apply.Await;
import dev.commitcast.invalidator.apply.RetriableStepException;
import dev.commitcast.invalidator.health.InvalidatorMetrics;
import dev.commitcast.core.Watermark;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Computes the global watermark (stored partition watermarks of all instances, overlaid with this instance's
 * newest, over the partition set of the change topics) and publishes it as a heartbeat when no batch carried it for
 * one heartbeat interval, so api-service instances can bound their staleness while nothing changes — only while
 * {@link KeySpaceContinuity#vouch()} says the key space is consistent under this invalidator's rules.
 *
 * <p>Confined to the consumer thread, except {@link #lastGlobal()}, which any thread may read.
 */
public final class WatermarkTracker {

    private static final Logger LOG = LoggerFactory.getLogger(WatermarkTracker.class);

    private final PartitionWatermarks store;
    private final EvictionPublisher publisher;
    private final KeySpaceContinuity continuity;
    private final InvalidatorMetrics metrics;
    private final Duration interval;
    private final Duration timeout;
    private final Clock clock;
    private Set<TopicPartition> partitions = Set.of();
    private Instant nextHeartbeat = Instant.MIN;
    private boolean failing;
    private volatile Watermark lastGlobal;

    public WatermarkTracker(PartitionWatermarks store, EvictionPublisher publisher, KeySpaceContinuity continuity,
                            InvalidatorMetrics metrics, Duration interval, Duration timeout, Clock clock) {
        this.store = store;
        this.publisher = publisher;
        this.continuity = continuity;
        this.metrics = metrics;
        this.interval = interval;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Sets the partitions of every change topic, as the cluster's metadata lists them. */
    public void changeTopicPartitions(Set<TopicPartition> all) {
        partitions = Set.copyOf(all);
    }

    /** Returns the partitions the global watermark is computed over. */
    public Set<TopicPartition> changeTopicPartitions() {
        return partitions;
    }

    /**
     * Returns the global watermark given this instance's newest (not yet stored) partition watermarks.
     *
     * @throws RetriableStepException when the stored watermarks cannot be read
     */
    public Optional<Watermark> compute(Map<TopicPartition, Watermark> local) {
        Optional<Watermark> global = GlobalWatermark.of(partitions,
                GlobalWatermark.newest(store.readAll(), local));
        lastGlobal = global.orElse(null);
        return global;
    }

    /** Records that a broadcast carrying the global watermark was sent: the next heartbeat is an interval away. */
    public void broadcastSent() {
        nextHeartbeat = clock.instant().plus(interval);
    }

    /** Publishes a heartbeat if one is due and the global watermark is known; failures are logged and counted. */
    public void heartbeatIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextHeartbeat)) {
            return;
        }
        nextHeartbeat = now.plus(interval);
        try {
            if (!continuity.vouch()) {
                return; // suspended: markers under other rules; nothing to vouch for
            }
            Optional<Watermark> global = compute(Map.of());
            if (global.isPresent()) {
                Watermark watermark = global.get();
                Await.redis(() -> publisher.heartbeat(watermark), timeout, "heartbeat");
                metrics.heartbeatSent();
            }
            if (failing) {
                LOG.info("Heartbeats work again; global watermark {}", global.map(Watermark::wire).orElse("unknown"));
                failing = false;
            }
        } catch (RetriableStepException e) {
            metrics.heartbeatFailed();
            if (!failing) {
                LOG.warn("Heartbeat failed, retrying every {} (further failures logged at debug): {}", interval,
                        e.getMessage());
                failing = true;
            } else {
                LOG.debug("Heartbeat failed again: {}", e.getMessage());
            }
        }
    }

    /** Returns the global watermark of the latest computation, or {@code null} while unknown; thread-safe. */
    public Watermark lastGlobal() {
        return lastGlobal;
    }
}
