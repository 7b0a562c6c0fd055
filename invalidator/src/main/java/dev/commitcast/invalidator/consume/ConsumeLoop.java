package dev.commitcast.invalidator.consume;

import dev.commitcast.invalidator.continuity.KeySpaceContinuity;
import dev.commitcast.redis.EvictionPublisher;
import dev.commitcast.redis.RedisInvalidation;
import dev.commitcast.invalidator.apply.ApplyHooks;
import dev.commitcast.invalidator.apply.RetriableStepException;
import dev.commitcast.invalidator.apply.SimulatedCrash;
import dev.commitcast.invalidator.config.InvalidatorConfig;
import dev.commitcast.invalidator.dlq.DeadLetterPublisher;
import dev.commitcast.invalidator.health.InvalidatorMetrics;
import dev.commitcast.invalidator.health.InvalidatorStatus;
import dev.commitcast.invalidator.health.InvalidatorStatus.State;
import dev.commitcast.invalidator.watermark.PartitionWatermarks;
import dev.commitcast.invalidator.watermark.WatermarkTracker;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Rules;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The consume loop: poll a bounded batch, decode it, apply it ({@link BatchApplier}: DLQ, Redis delete, broadcast,
 * watermarks), then {@code commitSync} its offsets — at most once per {@code commit-interval}, together with those of
 * the batches applied since the last commit. At-least-once: a batch is committed only after it was fully applied,
 * so a crash anywhere re-applies it and the batches applied after the last commit (deletes and broadcasts are
 * idempotent). A commit is a synchronous round trip that the next batch waits for and a write on the broker: one per
 * batch cost Kafka 5-8 points of a core at 1,000-2,000 changes/s (ADR-0018).
 *
 * <p>When a step fails, the same batch is retried with capped exponential backoff and nothing is committed or
 * polled further: all assigned partitions are paused and the backoff is spent in {@code poll()}, which keeps the
 * group membership alive (well within {@code max.poll.interval.ms}). Records a poll returns meanwhile (a partition
 * assigned by a rebalance before it could be paused) are rewound with {@code seek}.
 *
 * <p>On revocation (a rebalance or {@link #close()}) offsets of applied batches that are not yet committed are
 * committed. {@link #close()} stops the loop through {@code wakeup()} and a closed flag; an interrupt of the consumer
 * thread stops it too. A {@link SimulatedCrash} from a test hook stops it without committing anything.
 *
 * <p>{@link #run()} runs on one dedicated thread; {@link #close()} and {@link #status()} may be called from any.
 */
public final class ConsumeLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumeLoop.class);
    /** Bound of every blocking Kafka call on the loop (commit, metadata, close). */
    static final Duration KAFKA_CALL_TIMEOUT = Duration.ofSeconds(10);

    private final Consumer<byte[], byte[]> consumer;
    private final Pattern topics;
    private final BatchAssembler assembler;
    private final BatchApplier applier;
    private final WatermarkTracker watermarks;
    private final InvalidatorMetrics metrics;
    private final Backoff backoff;
    private final Duration pollTimeout;
    private final Duration metadataRefresh;
    private final Clock clock;
    private final LoopStatus status;

    private final Map<TopicPartition, OffsetAndMetadata> pendingCommits = new HashMap<>();
    private final Set<TopicPartition> owned = new HashSet<>();
    private long nextMetadataRefreshNanos = System.nanoTime();
    private final long commitIntervalNanos;
    /** When the next commit may be made: the first batch after a quiet period is committed at once. */
    private long nextCommitNanos = System.nanoTime();
    private boolean paused;
    private Metric connectionCount;
    private boolean crashed;
    private volatile boolean closed;

    ConsumeLoop(Consumer<byte[], byte[]> consumer, Pattern topics, BatchAssembler assembler, BatchApplier applier,
                WatermarkTracker watermarks, KeySpaceContinuity continuity, InvalidatorMetrics metrics,
                Backoff backoff, Duration pollTimeout, Duration metadataRefresh, Duration commitInterval, Clock clock) {
        this.consumer = consumer;
        this.topics = topics;
        this.assembler = assembler;
        this.applier = applier;
        this.watermarks = watermarks;
        this.metrics = metrics;
        this.backoff = backoff;
        this.pollTimeout = pollTimeout;
        this.metadataRefresh = metadataRefresh;
        this.commitIntervalNanos = commitInterval.toNanos();
        this.clock = clock;
        this.status = new LoopStatus(watermarks::lastGlobal, continuity::state);
    }

    /**
     * Wires a loop. The caller owns the consumer (this loop closes it when it stops), the DLQ publisher and the
     * Redis connection.
     */
    public static ConsumeLoop create(InvalidatorConfig config, Rules rules, Consumer<byte[], byte[]> consumer,
                                     DeadLetterPublisher deadLetters, RedisClusterAsyncCommands<String, String> redis,
                                     InvalidatorMetrics metrics, ApplyHooks hooks, Clock clock) {
        KeySpace keySpace = rules.keySpace();
        Duration timeout = config.applyTimeout();
        EvictionPublisher publisher = new EvictionPublisher(redis, rules, clock);
        PartitionWatermarks partitionWatermarks = new PartitionWatermarks(redis, keySpace, timeout);
        RedisInvalidation invalidation = new RedisInvalidation(redis, rules);
        KeySpaceContinuity continuity = new KeySpaceContinuity(redis, invalidation, publisher, rules,
                metrics::fullInvalidation, timeout);
        WatermarkTracker watermarks = new WatermarkTracker(partitionWatermarks, publisher, continuity, metrics,
                config.heartbeatInterval(), timeout, clock);
        metrics.watermarkSource(watermarks::lastGlobal);
        BatchApplier applier = new BatchApplier(deadLetters, invalidation, publisher, partitionWatermarks,
                watermarks, continuity, hooks, metrics, timeout, clock);
        return new ConsumeLoop(consumer, config.changeTopics(), new BatchAssembler(rules, metrics), applier, watermarks,
                continuity, metrics,
                new Backoff(config.retryInitialBackoff(), config.retryMaxBackoff()), config.pollTimeout(),
                config.heartbeatInterval(), config.commitInterval(), clock);
    }

    @Override
    public void run() {
        State end = State.STOPPED;
        String error = null;
        try {
            consumer.subscribe(topics, new Rebalance());
            while (!closed) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
                status.polled(clock.instant());
                updateLag();
                if (!records.isEmpty()) {
                    Batch batch = assembler.assemble(records);
                    if (!applyWithRetry(batch)) {
                        break;
                    }
                    commitApplied(batch);
                }
                if (!pendingCommits.isEmpty() && System.nanoTime() - nextCommitNanos >= 0) {
                    commit(Map.copyOf(pendingCommits));
                    nextCommitNanos = System.nanoTime() + commitIntervalNanos;
                }
                housekeeping();
            }
        } catch (WakeupException e) {
            if (!closed) {
                end = State.FAILED;
                error = "unexpected wakeup: " + e;
                LOG.error("Consumer woken up without close(); stopping", e);
            }
        } catch (InterruptException e) {
            LOG.info("Consumer thread interrupted; stopping, the batch in hand stays uncommitted");
            closed = true;
        } catch (SimulatedCrash e) {
            crashed = true;
            end = State.CRASHED;
            error = e.getMessage();
            LOG.warn("Simulated crash: {}; stopping without committing", e.getMessage());
        } catch (RuntimeException | Error e) {
            end = State.FAILED;
            error = e.toString();
            LOG.error("Consume loop failed; stopping, the batch in hand stays uncommitted", e);
        } finally {
            shutdown();
            status.stopped(end, error);
        }
    }

    /** Stops the loop: wakes up a blocking poll; {@link #run()} then commits applied offsets and closes. */
    public void close() {
        closed = true;
        try {
            consumer.wakeup();
        } catch (IllegalStateException e) {
            LOG.debug("Consumer already closed: {}", e.toString());
        }
    }

    /** Returns a snapshot of the loop's state; thread-safe. */
    public InvalidatorStatus status() {
        return status.snapshot();
    }

    /** Returns false when the loop was closed before the batch could be applied. */
    private boolean applyWithRetry(Batch batch) {
        int failures = 0;
        while (true) {
            try {
                applier.apply(batch, failures + 1);
                if (paused) {
                    consumer.resume(consumer.paused());
                    paused = false;
                    LOG.info("Batch {} applied after {} failed attempts; partitions resumed", batch.describe(),
                            failures);
                }
                status.applied();
                return true;
            } catch (RetriableStepException e) {
                failures++;
                metrics.retried(e.step());
                Duration delay = backoff.delay(failures);
                LOG.warn("Applying batch {} ({} records) failed at step {} (attempt {}): {}; retrying in {}, "
                                + "partitions paused, nothing committed", batch.describe(), batch.records, e.step(),
                        failures, e.getMessage(), delay);
                status.retrying(failures, e.getMessage());
                consumer.pause(consumer.assignment());
                paused = true;
                waitPaused(delay);
                if (closed) {
                    LOG.info("Closing while batch {} is unapplied; its offsets stay uncommitted", batch.describe());
                    return false;
                }
            }
        }
    }

    /** Spends the backoff in poll() (group membership stays alive) while every partition is paused. */
    private void waitPaused(Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        long remaining;
        while (!closed && (remaining = deadline - System.nanoTime()) > 0) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(
                    Duration.ofNanos(Math.min(remaining, pollTimeout.toNanos())));
            status.polled(clock.instant());
            for (TopicPartition partition : records.partitions()) {
                consumer.seek(partition, records.records(partition).getFirst().offset());
                consumer.pause(List.of(partition));
            }
            updateLag();
            housekeeping();
        }
    }

    private void commitApplied(Batch batch) {
        Map<TopicPartition, OffsetAndMetadata> next = batch.nextOffsets();
        // A partition revoked while the batch was retried belongs to another member now, which re-applies it.
        next.keySet().retainAll(owned);
        pendingCommits.putAll(next);
    }

    /** Commits the offsets; they leave {@link #pendingCommits} once committed or once the group moved on. */
    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, KAFKA_CALL_TIMEOUT);
            metrics.offsetsCommitted();
            offsets.forEach(pendingCommits::remove);
            status.committed(clock.instant());
        } catch (CommitFailedException e) {
            LOG.warn("Offsets {} not committed: the group rebalanced and the partitions moved; their new owners "
                    + "re-apply from the last commit (duplicates are harmless)", offsets);
            offsets.forEach(pendingCommits::remove);
        } catch (RebalanceInProgressException | RetriableException e) {
            LOG.warn("Committing offsets {} failed ({}); retrying after the next poll", offsets, e.toString());
        }
    }

    /** Lag gauges and the connection count for /health; cheap, no network call. */
    private void updateLag() {
        for (TopicPartition partition : owned) {
            OptionalLong lag = consumer.currentLag(partition);
            metrics.lagRecords(partition, lag.orElse(-1));
        }
        if (connectionCount == null) {
            connectionCount = consumer.metrics().entrySet().stream()
                    .filter(e -> e.getKey().name().equals("connection-count")
                            && e.getKey().group().equals("consumer-metrics"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
        if (connectionCount != null && connectionCount.metricValue() instanceof Number n) {
            status.kafkaConnections(n.intValue());
        }
    }

    private void housekeeping() {
        if (System.nanoTime() - nextMetadataRefreshNanos >= 0) {
            refreshChangeTopicPartitions();
            nextMetadataRefreshNanos = System.nanoTime() + metadataRefresh.toNanos();
        }
        watermarks.heartbeatIfDue();
    }

    /** The partition set of the global watermark: every partition of every topic the pattern matches. */
    private void refreshChangeTopicPartitions() {
        Set<TopicPartition> partitions = new HashSet<>(owned);
        try {
            for (String topic : consumer.subscription()) {
                for (PartitionInfo info : consumer.partitionsFor(topic, KAFKA_CALL_TIMEOUT)) {
                    partitions.add(new TopicPartition(info.topic(), info.partition()));
                }
            }
            watermarks.changeTopicPartitions(partitions);
            metrics.changeTopicPartitions(partitions.size());
        } catch (RetriableException e) {
            LOG.warn("Listing the change topics' partitions failed ({}); the global watermark keeps the previous set",
                    e.toString());
        }
    }

    private void shutdown() {
        boolean interrupted = Thread.interrupted(); // close() refuses to run with the flag set
        try {
            if (!crashed) {
                commit(Map.copyOf(pendingCommits));
            }
        } catch (KafkaException e) {
            LOG.warn("Final commit of {} failed: {}; the next owner re-applies them", pendingCommits, e.toString());
        }
        try {
            consumer.close(CloseOptions.timeout(KAFKA_CALL_TIMEOUT));
        } catch (KafkaException e) {
            LOG.warn("Closing the consumer failed: {}", e.toString());
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Commits applied offsets of revoked partitions and tracks the owned set, lag gauges and pausing. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!crashed) {
                Map<TopicPartition, OffsetAndMetadata> applied = new HashMap<>(pendingCommits);
                applied.keySet().retainAll(partitions);
                commit(applied);
            }
            forget(partitions);
            LOG.info("Partitions revoked: {}", partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
            LOG.warn("Partitions lost (no commit possible; the new owners re-apply): {}", partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            owned.addAll(partitions);
            partitions.forEach(metrics::track);
            if (paused) {
                consumer.pause(partitions);
            }
            status.assigned(owned);
            nextMetadataRefreshNanos = System.nanoTime();
            LOG.info("Partitions assigned: {} (now owning {})", partitions, owned.size());
        }

        private void forget(Collection<TopicPartition> partitions) {
            owned.removeAll(partitions);
            partitions.forEach(pendingCommits::remove);
            partitions.forEach(metrics::untrack);
            status.assigned(owned);
        }
    }
}
