package dev.commitcast.invalidator.health;

import dev.commitcast.invalidator.continuity.KeySpaceContinuity;
import dev.commitcast.core.Watermark;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.common.TopicPartition;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The invalidator's Micrometer meters. Prometheus names (dots become underscores, counters get {@code _total},
 * timers {@code _seconds}):
 * <pre>
 * commitcast_invalidator_records_applied_total         change records applied to Redis (rate = invalidations/s)
 * commitcast_invalidator_records_skipped_total{kind}   tombstone | marker
 * commitcast_invalidator_keys_invalidated_total        cache keys a batch asked to delete
 * commitcast_invalidator_keys_deleted_total            Redis keys (values + leases) actually removed
 * commitcast_invalidator_namespaces_flushed_total      namespaces deleted by SCAN (truncate, org delete, fallback)
 * commitcast_invalidator_dlq_records_total             records sent to the dead-letter topic
 * commitcast_invalidator_markers_foreign_rules_total   watermark markers written under other rules (not counted)
 * commitcast_invalidator_full_invalidations_total{reason}  whole key space invalidated: rules-changed | unknown
 * commitcast_invalidator_continuity_resets_total{reason}   the connector's continuity resets acted on (everything
 *                                                          invalidated): slot-missing, slot-lost, no-offset, ...
 * commitcast_invalidator_retries_total{step}           batch re-applications after a redis | dlq failure
 * commitcast_invalidator_heartbeats_total{result}      watermark heartbeats sent | failed
 * commitcast_invalidator_batch_records                 records per batch (summary)
 * commitcast_invalidator_offset_commits_total          offset commits to Kafka (at most one per commit-interval,
 *                                                      besides rebalances and the stop)
 * commitcast_invalidator_commit_to_delete_seconds      Postgres commit -> Redis delete done (histogram)
 * commitcast_invalidator_commit_to_broadcast_seconds   Postgres commit -> L1 broadcast sent (histogram)
 * commitcast_invalidator_lag_records{topic,partition}  log end offset - position
 * commitcast_invalidator_lag_seconds{topic,partition}  now - commit time of the newest applied event or marker
 * commitcast_invalidator_change_topic_partitions       partitions of every change topic the consumer group reads
 *                                                      (the lag rows of all instances together should cover them)
 * commitcast_invalidator_watermark_age_seconds         now - commit time of the global watermark
 * commitcast_invalidator_watermark_lsn                 LSN of the global watermark
 * </pre>
 * The latency timers are Prometheus histograms: Micrometer's percentile buckets between 1 ms and 5 min plus SLO
 * buckets at 5, 10, 25, 50, 100, 250, 500 ms, 1, 2.5, 5, 10, 30 s; take percentiles server-side, e.g.
 * {@code histogram_quantile(0.99, sum by (le) (rate(commitcast_invalidator_commit_to_delete_seconds_bucket[1m])))}
 * (client-side quantiles cannot be aggregated across instances). Gauges read {@code NaN} while unknown.
 * Thread-safe.
 */
public final class InvalidatorMetrics {

    public static final String PREFIX = "commitcast.invalidator";
    private static final Duration[] SLOS = {ms(5), ms(10), ms(25), ms(50), ms(100), ms(250), ms(500),
            ms(1_000), ms(2_500), ms(5_000), ms(10_000), ms(30_000)};

    private final MeterRegistry registry;
    private final Clock clock;
    private final Counter recordsApplied;
    private final Counter tombstones;
    private final Counter markers;
    private final Counter keysInvalidated;
    private final Counter keysDeleted;
    private final Counter namespacesFlushed;
    private final Counter dlqRecords;
    private final Counter foreignRulesMarkers;
    private final Counter offsetCommits;
    private final Map<KeySpaceContinuity.Reason, Counter> fullInvalidations =
            new java.util.EnumMap<>(KeySpaceContinuity.Reason.class);
    private volatile String foreignRules;
    private final Counter heartbeatsSent;
    private final Counter heartbeatsFailed;
    private final Map<String, Counter> retries = new ConcurrentHashMap<>();
    private final DistributionSummary batchRecords;
    private final Timer commitToDelete;
    private final Timer commitToBroadcast;
    private final Timer commitToConsumed;
    private final Map<TopicPartition, PartitionLag> lags = new ConcurrentHashMap<>();
    private volatile Supplier<Watermark> globalWatermark = () -> null;
    private volatile int changeTopicPartitions = -1;

    public InvalidatorMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        recordsApplied = counter("records.applied", "change records whose invalidation was applied to Redis");
        tombstones = Counter.builder(PREFIX + ".records.skipped").tag("kind", "tombstone")
                .description("records without an effect on the cache").register(registry);
        markers = Counter.builder(PREFIX + ".records.skipped").tag("kind", "marker")
                .description("records without an effect on the cache").register(registry);
        keysInvalidated = counter("keys.invalidated", "cache keys whose value and lease were deleted");
        keysDeleted = counter("keys.deleted", "Redis keys (values and leases) that existed and were removed");
        namespacesFlushed = counter("namespaces.flushed", "namespaces deleted by SCAN");
        dlqRecords = counter("dlq.records", "records sent to the dead-letter topic");
        offsetCommits = counter("offset.commits", "offset commits to Kafka (applied batches are committed together)");
        foreignRulesMarkers = counter("markers.foreign.rules", "watermark markers the connector wrote under other "
                + "rules; the watermark does not advance on them");
        for (KeySpaceContinuity.Reason reason : KeySpaceContinuity.Reason.values()) {
            fullInvalidations.put(reason, Counter.builder(PREFIX + ".full.invalidations").tag("reason", reason.tag())
                    .description("invalidations of the whole key space before vouching for it (rules changed, or "
                            + "nothing recorded them)").register(registry));
        }
        dev.commitcast.events.ContinuityReset.REASONS.forEach(this::continuityResetCounter);
        heartbeatsSent = Counter.builder(PREFIX + ".heartbeats").tag("result", "sent")
                .description("watermark heartbeats").register(registry);
        heartbeatsFailed = Counter.builder(PREFIX + ".heartbeats").tag("result", "failed")
                .description("watermark heartbeats").register(registry);
        retry("redis");
        retry("dlq");
        batchRecords = DistributionSummary.builder(PREFIX + ".batch.records").baseUnit("records")
                .description("records per polled batch")
                .serviceLevelObjectives(1, 10, 50, 100, 250, 500, 1_000).register(registry);
        commitToConsumed = latency("commit.to.consumed",
                "Postgres commit to the change's batch reaching the invalidator (first attempt), per change");
        commitToDelete = latency("commit.to.delete", "Postgres commit to Redis delete done, per change");
        commitToBroadcast = latency("commit.to.broadcast", "Postgres commit to L1 broadcast sent, per change");
        Gauge.builder(PREFIX + ".watermark.age", this, m -> m.watermarkAgeSeconds()).baseUnit("seconds")
                .description("now minus the commit time of the global watermark").register(registry);
        Gauge.builder(PREFIX + ".change.topic.partitions", this,
                        m -> m.changeTopicPartitions < 0 ? Double.NaN : m.changeTopicPartitions)
                .description("partitions of every change topic the consumer group reads; the instances' lag rows "
                        + "together cover them once the group has settled").register(registry);
        Gauge.builder(PREFIX + ".watermark.lsn", this, m -> m.watermarkLsn())
                .description("LSN of the global watermark").register(registry);
    }

    /** Counts an offset commit that Kafka accepted ({@code commitcast_invalidator_offset_commits_total}). */
    public void offsetsCommitted() {
        offsetCommits.increment();
    }

    /** Exports {@code commitcast_rules_info{fingerprint}} (always 1): the rules this process runs. */
    public void rules(String fingerprint) {
        Gauge.builder("commitcast.rules.info", () -> 1).tag("fingerprint", fingerprint)
                .description("The fingerprint of the rules file this process runs").register(registry);
    }

    /** Counts a full invalidation of the key space ({@code commitcast_invalidator_full_invalidations_total}). */
    public void fullInvalidation(KeySpaceContinuity.Reason reason) {
        fullInvalidations.get(reason).increment();
    }

    /** Counts a continuity reset acted on ({@code commitcast_invalidator_continuity_resets_total{reason}}). */
    public void continuityReset(String reason) {
        continuityResetCounter(reason).increment();
    }

    private Counter continuityResetCounter(String reason) {
        return Counter.builder(PREFIX + ".continuity.resets").tag("reason", reason)
                .description("continuity resets of the connector acted on: everything invalidated")
                .register(registry);
    }

    /** Makes the watermark gauges read from the given source. */
    public void watermarkSource(Supplier<Watermark> source) {
        globalWatermark = source;
    }

    /**
     * Counts a watermark marker written under other rules, and logs the first of a run of them: the connector's
     * rules differ from this invalidator's, so the watermark stops and the API bypasses its caches until they agree.
     */
    public void foreignRulesMarker(String fingerprint) {
        foreignRulesMarkers.increment();
        if (!fingerprint.equals(foreignRules)) {
            foreignRules = fingerprint;
            org.slf4j.LoggerFactory.getLogger(InvalidatorMetrics.class).error("The connector writes watermark markers "
                    + "under rules {}, which differ from this invalidator's: the watermark stops advancing (the API "
                    + "serves from Postgres) until both run the same rules file (commitcast.rules)", fingerprint);
        }
    }

    /** Notes a marker written under this invalidator's rules; logs when they agree again after differing. */
    public void agreeingMarker() {
        if (foreignRules != null) {
            foreignRules = null;
            org.slf4j.LoggerFactory.getLogger(InvalidatorMetrics.class).info("The connector's watermark markers "
                    + "are written under this invalidator's rules again; the watermark advances");
        }
    }

    /** Returns the fingerprint of the last marker written under other rules while they differ, or null. */
    public String foreignRules() {
        return foreignRules;
    }

    public void recordsApplied(int n) {
        recordsApplied.increment(n);
    }

    public void tombstones(int n) {
        tombstones.increment(n);
    }

    public void markers(int n) {
        markers.increment(n);
    }

    public void deleted(int keysAsked, int namespaces, long redisKeysRemoved) {
        keysInvalidated.increment(keysAsked);
        namespacesFlushed.increment(namespaces);
        keysDeleted.increment(redisKeysRemoved);
    }

    public void deadLettered(int n) {
        dlqRecords.increment(n);
    }

    public void retried(String step) {
        retry(step).increment();
    }

    /** Returns the retry count of a step so far (for health details and tests). */
    public double retries(String step) {
        return retry(step).count();
    }

    public void heartbeatSent() {
        heartbeatsSent.increment();
    }

    public void heartbeatFailed() {
        heartbeatsFailed.increment();
    }

    public void batch(int records) {
        batchRecords.record(records);
    }

    /** Records the commit-to-consumed latency of each change, given their commit times. */
    public void consumed(List<Instant> commitTimes, Instant at) {
        record(commitToConsumed, commitTimes, at);
    }

    /** Records the commit-to-delete latency of each change, given their commit times. */
    public void deleteDone(List<Instant> commitTimes, Instant done) {
        record(commitToDelete, commitTimes, done);
    }

    /** Records the commit-to-broadcast latency of each change, given their commit times. */
    public void broadcastSent(List<Instant> commitTimes, Instant sent) {
        record(commitToBroadcast, commitTimes, sent);
    }

    /** Starts reporting lag gauges for a partition (on assignment). */
    public void track(TopicPartition partition) {
        lags.computeIfAbsent(partition, p -> new PartitionLag(registry, p, clock));
    }

    /** Stops reporting a partition's lag gauges (on revocation). */
    public void untrack(TopicPartition partition) {
        PartitionLag lag = lags.remove(partition);
        if (lag != null) {
            lag.remove(registry);
        }
    }

    /** Sets how many partitions the change topics have together (from the consumer's metadata). */
    public void changeTopicPartitions(int count) {
        changeTopicPartitions = count;
    }

    /** Sets a partition's lag in records, or -1 when unknown. */
    public void lagRecords(TopicPartition partition, long records) {
        PartitionLag lag = lags.get(partition);
        if (lag != null) {
            lag.records = records;
        }
    }

    /** Sets the commit time of the newest applied event or marker of a partition. */
    public void applied(TopicPartition partition, Instant newestCommit) {
        PartitionLag lag = lags.get(partition);
        if (lag != null && (lag.newestCommit == null || newestCommit.isAfter(lag.newestCommit))) {
            lag.newestCommit = newestCommit;
        }
    }

    private double watermarkAgeSeconds() {
        Watermark w = globalWatermark.get();
        return w == null ? Double.NaN : seconds(Duration.between(w.commitTime(), clock.instant()));
    }

    private double watermarkLsn() {
        Watermark w = globalWatermark.get();
        return w == null ? Double.NaN : w.lsn();
    }

    private Counter counter(String name, String description) {
        return Counter.builder(PREFIX + "." + name).description(description).register(registry);
    }

    private Counter retry(String step) {
        return retries.computeIfAbsent(step, s -> Counter.builder(PREFIX + ".retries").tag("step", s)
                .description("re-applications of a batch after a failed step").register(registry));
    }

    private Timer latency(String name, String description) {
        return Timer.builder(PREFIX + "." + name).description(description)
                .publishPercentileHistogram()
                .serviceLevelObjectives(SLOS)
                .minimumExpectedValue(ms(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
    }

    private static void record(Timer timer, List<Instant> commitTimes, Instant at) {
        for (Instant commit : commitTimes) {
            Duration latency = Duration.between(commit, at);
            // Clock skew between Postgres and this host can make it negative; count it as zero, not drop it.
            timer.record(latency.isNegative() ? Duration.ZERO : latency);
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    /** Lag gauges of one partition. */
    private static final class PartitionLag {
        private final List<Meter> meters;
        private volatile long records = -1;
        private volatile Instant newestCommit;

        PartitionLag(MeterRegistry registry, TopicPartition partition, Clock clock) {
            Tags tags = Tags.of("topic", partition.topic(), "partition", Integer.toString(partition.partition()));
            meters = List.of(
                    Gauge.builder(PREFIX + ".lag.records", this, l -> l.records < 0 ? Double.NaN : l.records)
                            .tags(tags).baseUnit("records").description("log end offset minus position")
                            .register(registry),
                    Gauge.builder(PREFIX + ".lag", this, l -> l.newestCommit == null ? Double.NaN
                                    : seconds(Duration.between(l.newestCommit, clock.instant())))
                            .tags(tags).baseUnit("seconds")
                            .description("now minus the commit time of the newest applied event or marker")
                            .register(registry));
        }

        void remove(MeterRegistry registry) {
            meters.forEach(registry::remove);
        }
    }
}
