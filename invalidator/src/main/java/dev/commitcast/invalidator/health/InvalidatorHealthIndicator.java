package dev.commitcast.invalidator.health;

import dev.commitcast.invalidator.Invalidator;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} component {@code invalidator}: UP while the consume loop runs, has polled recently, the consumer
 * holds a broker connection and Redis answers PING; DOWN when the loop stopped (crashed, failed), is stuck, Kafka is
 * unreachable, Redis is unreachable (the loop is then retrying a batch), or the connector's watermark markers are
 * written under other rules than this invalidator's (the watermark then stops). Details show the loop state,
 * partitions, last poll and commit, retries, the rules and the watermark.
 * Deliberately not a {@code @Liveness} check: restarting the process does not bring Redis back.
 */
@Singleton
final class InvalidatorHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    /** A loop that has not polled for this long is stuck (Kafka's max.poll.interval.ms would evict it too). */
    static final Duration STUCK_AFTER = Duration.ofMinutes(2);
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(1);

    private final Invalidator invalidator;

    InvalidatorHealthIndicator(Invalidator invalidator) {
        this.invalidator = invalidator;
    }

    @Override
    protected String getName() {
        return "invalidator";
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        InvalidatorStatus status = invalidator.status();
        boolean redisUp = invalidator.pingRedis(PING_TIMEOUT);
        boolean polling = status.lastPoll() == null
                || Duration.between(status.lastPoll(), Instant.now()).compareTo(STUCK_AFTER) < 0;
        boolean kafkaUp = status.kafkaConnections() > 0;
        String foreignRules = invalidator.foreignConnectorRules();
        healthStatus = status.state().alive() && polling && kafkaUp && redisUp && foreignRules == null
                ? HealthStatus.UP : HealthStatus.DOWN;

        Map<String, Object> consumer = new LinkedHashMap<>();
        consumer.put("state", status.state().name());
        consumer.put("group", invalidator.config().groupId());
        consumer.put("assignedPartitions", status.assigned());
        consumer.put("kafkaConnections", status.kafkaConnections());
        consumer.put("lastPoll", String.valueOf(status.lastPoll()));
        consumer.put("lastCommit", String.valueOf(status.lastCommit()));
        consumer.put("batchesApplied", status.batchesApplied());
        consumer.put("retryAttempts", status.retryAttempts());
        if (status.lastError() != null) {
            consumer.put("lastError", status.lastError());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("consumer", consumer);
        details.put("redis", Map.of("uri", invalidator.config().redisEndpoint().describe(), "ping", redisUp ? "PONG" : "failed"));
        Map<String, Object> rules = new LinkedHashMap<>();
        rules.put("file", invalidator.rules().source());
        rules.put("fingerprint", invalidator.rules().fingerprint());
        rules.put("connector", foreignRules == null ? "same rules (or no marker yet)"
                : "markers written under rules " + foreignRules + ": the watermark stops until both run the same "
                + "rules file");
        details.put("rules", rules);
        details.put("globalWatermark", status.globalWatermark() == null ? "unknown" : status.globalWatermark().wire());
        details.put("keySpace", switch (status.keySpace()) {
            case VERIFIED -> "VERIFIED: consistent under this invalidator's rules";
            case UNVERIFIED -> "UNVERIFIED: checked (and invalidated if need be) before the next watermark";
            case SUSPENDED -> "SUSPENDED: connector markers under other rules, no watermark published";
        });
        return details;
    }
}
