package dev.commitcast.cli.status;

import java.util.List;
import java.util.Map;

/**
 * Everything {@code status} shows, as numbers read from the services' own {@code /health}, {@code /metrics} and
 * {@code /v1/perf/cache} (and Redis' watermark key, the DLQ topic's offsets). {@code status --json} prints exactly
 * this record tree, so its component names are the stable JSON field names; {@code null} means unknown (a service
 * is down, a gauge reads NaN, nothing was observed yet). Immutable.
 *
 * @param time                when it was collected, ISO-8601
 * @param healthy             whether every known service is UP and they all run the same rules
 * @param services            every known service with its health
 * @param rules               which rules file each process runs, and whether they agree
 * @param consumerLag         the invalidator's lag per partition
 * @param consumerGroup       how many of the change topics' partitions the invalidators own ({@code null} without
 *                            an answering invalidator)
 * @param staleness           how far behind the caches may be
 * @param invalidationLatency Postgres commit to Redis delete and to L1 broadcast
 * @param cache               hit rates, summed over every api-service instance, and per instance
 * @param continuity          what the pipeline did when it could not prove the change stream continuous
 * @param dlq                 the dead-letter topic
 * @param notes               what could not be read, and why
 */
public record StatusSnapshot(String time, boolean healthy, List<Service> services, Rules rules,
                             List<PartitionLag> consumerLag, GroupCoverage consumerGroup,
                             Staleness staleness, InvalidationLatency invalidationLatency, Cache cache,
                             Continuity continuity, Dlq dlq, List<String> notes) {

    public static final String UP = "UP";
    public static final String DOWN = "DOWN";

    /**
     * One service: {@code kind} is api-service, invalidator or cdc-connector; {@code status} UP or DOWN;
     * {@code restarts} how often {@code up}'s watchdog restarted it after it exited ({@code null} when {@code up} does
     * not run it); {@code gaveUp} why the watchdog stopped restarting it, else {@code null}.
     */
    public record Service(String name, String kind, String url, String status, String detail, Integer restarts,
                          String gaveUp) {
    }

    /**
     * @param agree     whether every process that reported a fingerprint runs the same rules and no api-service
     *                  receives broadcasts published under other rules; {@code null} when none reported
     * @param processes each process' {@code commitcast_rules_info} fingerprint ({@code null} when it did not report)
     */
    public record Rules(Boolean agree, List<ProcessRules> processes) {
    }

    /**
     * @param broadcastsDiffer an api-service's {@code commitcast_rules_mismatch}: it receives evictions published
     *                         under other rules than its own (it bypasses its caches meanwhile)
     */
    public record ProcessRules(String name, String fingerprint, boolean broadcastsDiffer) {
    }

    /** Lag of one partition: {@code records} behind the log end, {@code seconds} since the newest applied commit. */
    public record PartitionLag(String topic, int partition, Double records, Double seconds) {
    }

    /**
     * @param maxSeconds          the largest of the instances' staleness (or the watermark's age when no instance
     *                            reports one)
     * @param apiInstances        each api-service's {@code commitcast_staleness_seconds}
     * @param watermark           the invalidator's watermark as stored in Redis
     * @param cdcSourceLagSeconds the cdc-connector's {@code commitcast_cdc_source_lag_seconds}
     */
    public record Staleness(Double maxSeconds, List<InstanceStaleness> apiInstances, Watermark watermark,
                            Double cdcSourceLagSeconds) {
    }

    public record InstanceStaleness(String url, Double seconds) {
    }

    /** The Redis key {@code <ks>:sys:watermark}: the last applied LSN, its commit time and age. */
    public record Watermark(String key, Long lsn, String commitTime, Double ageSeconds) {
    }

    /**
     * Each stage's latency, in pipeline order: from the Postgres commit to the connector's engine handing the change
     * over (decoded), to Kafka's acknowledgement, to the invalidator's consumer, to the Redis delete and to the L1
     * broadcast; then from the broadcast to each api-service instance receiving it (and evicting its L1).
     */
    public record InvalidationLatency(Quantiles commitToDecoded, Quantiles commitToAck, Quantiles commitToConsumed,
                                      Quantiles commitToDelete, Quantiles commitToBroadcast,
                                      List<InstanceQuantiles> broadcastToReceived) {
    }

    /** An api-service instance's quantiles of one stage. */
    public record InstanceQuantiles(String url, Quantiles quantiles) {
    }

    /**
     * Quantiles of a histogram since the invalidator started ({@code count} observations) and, in {@code --watch},
     * over the last refresh interval ({@code recent*}; {@code null} on the first screen).
     */
    public record Quantiles(double count, Double p50Seconds, Double p99Seconds, Double recentCount,
                            Double recentP50Seconds, Double recentP99Seconds) {
    }

    /**
     * @param hitRate   (L1 + L2 hits) / lookups, as {@code /v1/perf/cache} computes it
     * @param tiers     {@code l1}, {@code l2}
     * @param kinds     per cache (key kind: settings, roles, role_permissions, user, user_list), per tier
     * @param fallbacks reads that could not use L2, by reason
     * @param bypass    reads that ignored both caches, by reason
     * @param instances the same per api-service instance
     */
    public record Cache(Double hitRate, Map<String, Tier> tiers, Map<String, Map<String, Tier>> kinds,
                       Map<String, Long> fallbacks, Map<String, Long> bypass, List<InstanceCache> instances) {
    }

    public record Tier(long hits, long misses, Double hitRate) {
    }

    public record InstanceCache(String url, Double hitRate, Map<String, Tier> tiers, Map<String, Long> fallbacks) {
    }

    /**
     * Counts since each process started; {@code null} when the process was not asked or did not answer.
     *
     * @param connectorResets   the connector's continuity resets ({@code commitcast_cdc_continuity_resets_total}) by
     *                          reason, non-zero ones only
     * @param invalidatorResets continuity resets the invalidator acted on (everything invalidated)
     * @param fullInvalidations the invalidator's full invalidations before vouching for the key space (rules
     *                          changed, or unknown), by reason, non-zero ones only
     */
    public record Continuity(Map<String, Double> connectorResets, Double invalidatorResets,
                             Map<String, Double> fullInvalidations) {
    }

    /**
     * @param topic              the dead-letter topic
     * @param records            records in it (end minus start offsets), {@code null} when Kafka was not asked
     * @param deadLetteredTotal  {@code commitcast_invalidator_dlq_records_total}: sent since the invalidator started
     */
    public record Dlq(String topic, Long records, Double deadLetteredTotal) {
    }
}
