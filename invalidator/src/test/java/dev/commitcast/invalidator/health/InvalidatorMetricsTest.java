package dev.commitcast.invalidator.health;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.core.Watermark;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The Prometheus names documented on {@link InvalidatorMetrics}, exactly as scraped. */
class InvalidatorMetricsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T01:00:00Z");

    @Test
    void prometheusNames() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        InvalidatorMetrics metrics = new InvalidatorMetrics(registry, Clock.fixed(NOW, ZoneOffset.UTC));
        TopicPartition users0 = new TopicPartition("cc.public.users", 0);
        metrics.track(users0);
        metrics.lagRecords(users0, 7);
        metrics.applied(users0, NOW.minusSeconds(2));
        metrics.recordsApplied(3);
        metrics.deleted(3, 1, 6);
        metrics.deadLettered(1);
        metrics.retried("redis");
        metrics.heartbeatSent();
        metrics.tombstones(1);
        metrics.batch(5);
        metrics.deleteDone(List.of(NOW.minusMillis(30)), NOW);
        metrics.broadcastSent(List.of(NOW.minusMillis(31)), NOW);
        metrics.watermarkSource(() -> new Watermark(42, NOW.minusSeconds(1)));

        String scrape = registry.scrape();
        for (String line : List.of(
                "commitcast_invalidator_records_applied_total 3.0",
                "commitcast_invalidator_records_skipped_total{kind=\"tombstone\"} 1.0",
                "commitcast_invalidator_keys_invalidated_total 3.0",
                "commitcast_invalidator_keys_deleted_total 6.0",
                "commitcast_invalidator_namespaces_flushed_total 1.0",
                "commitcast_invalidator_dlq_records_total 1.0",
                "commitcast_invalidator_retries_total{step=\"redis\"} 1.0",
                "commitcast_invalidator_retries_total{step=\"dlq\"} 0.0",
                "commitcast_invalidator_heartbeats_total{result=\"sent\"} 1.0",
                "commitcast_invalidator_batch_records_count 1",
                "commitcast_invalidator_commit_to_delete_seconds_bucket{le=\"0.05\"} 1",
                "commitcast_invalidator_commit_to_delete_seconds_bucket{le=\"0.025\"} 0",
                "commitcast_invalidator_commit_to_broadcast_seconds_count 1",
                "commitcast_invalidator_lag_records{partition=\"0\",topic=\"cc.public.users\"} 7.0",
                "commitcast_invalidator_lag_seconds{partition=\"0\",topic=\"cc.public.users\"} 2.0",
                "commitcast_invalidator_watermark_age_seconds 1.0",
                "commitcast_invalidator_watermark_lsn 42.0")) {
            assertTrue(scrape.contains(line), line + " missing in\n" + scrape);
        }

        metrics.untrack(users0);
        assertTrue(!registry.scrape().contains("commitcast_invalidator_lag_records{"), "gauges removed on revoke");
    }
}
