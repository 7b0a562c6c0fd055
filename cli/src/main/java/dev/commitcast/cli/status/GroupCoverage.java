package dev.commitcast.cli.status;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * How much of the change topics the invalidators' consumer group owns, from their {@code /metrics}: each instance
 * reports a lag row per partition it owns ({@code commitcast_invalidator_lag_records}) and how many partitions the
 * change topics have ({@code commitcast_invalidator_change_topic_partitions}). While a group rebalances, or when its
 * members cannot reach Kafka, some partitions have no owner and nothing consumes them. Immutable.
 *
 * @param owned     distinct partitions some instance owns
 * @param total     partitions of the change topics (the largest figure an instance reports), {@code null} if unknown
 * @param instances instances that answered
 * @param idle      instances that answered and own no partition
 */
public record GroupCoverage(int owned, Integer total, int instances, int idle) {

    static final String PARTITIONS = "commitcast_invalidator_change_topic_partitions";
    static final String LAG_RECORDS = "commitcast_invalidator_lag_records";

    /** The coverage reported by the metrics of every instance that answered. */
    public static GroupCoverage of(List<PrometheusText> invalidators) {
        Set<String> owned = new HashSet<>();
        Integer total = null;
        int idle = 0;
        for (PrometheusText metrics : invalidators) {
            List<PrometheusText.Sample> rows = metrics.samples(LAG_RECORDS);
            rows.forEach(row -> owned.add(row.label("topic") + "-" + row.label("partition")));
            if (rows.isEmpty()) {
                idle++;
            }
            OptionalDouble partitions = metrics.value(PARTITIONS);
            if (partitions.isPresent() && !Double.isNaN(partitions.getAsDouble())) {
                total = Math.max(total == null ? 0 : total, (int) partitions.getAsDouble());
            }
        }
        return new GroupCoverage(owned.size(), total, invalidators.size(), idle);
    }

    /** Partitions nobody owns, {@code null} while the partition count is unknown. */
    public Integer unowned() {
        return total == null ? null : Math.max(0, total - owned);
    }

    /**
     * Settled: every partition has an owner and, when there are at least as many partitions as instances, every
     * instance owns one (a member that just joined owns none until the group's next assignment).
     */
    public boolean settled() {
        return total != null && total > 0 && owned >= total && (idle == 0 || total < instances);
    }

    @Override
    public String toString() {
        return (total == null ? owned + " partitions owned (the change topics' partition count is not known yet)"
                : owned + " of " + total + " partitions owned") + ", " + idle + " of " + instances
                + " instances own none";
    }

    /**
     * Polls the instances' {@code /metrics} until the group {@link #settled() settled}; empty when it did, else the
     * last coverage seen (or why none could be read) when the deadline passed.
     */
    public static Optional<String> awaitSettled(List<URI> invalidators, Instant deadline) throws InterruptedException {
        String last = "no answer from the invalidators' /metrics";
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            while (true) {
                try {
                    List<PrometheusText> metrics = new ArrayList<>();
                    for (URI invalidator : invalidators) {
                        metrics.add(PrometheusText.scrape(http, invalidator, Duration.ofSeconds(2)));
                    }
                    GroupCoverage coverage = of(metrics);
                    if (coverage.settled()) {
                        return Optional.empty();
                    }
                    last = coverage.toString();
                } catch (IOException notNow) {
                    last = "/metrics: " + notNow.getMessage();
                }
                if (!Instant.now().isBefore(deadline)) {
                    return Optional.of(last);
                }
                Thread.sleep(200);
            }
        }
    }
}
