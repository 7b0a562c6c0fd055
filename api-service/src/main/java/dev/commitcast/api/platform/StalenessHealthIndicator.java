package dev.commitcast.api.platform;

import dev.commitcast.client.ClientStatus;
import dev.commitcast.client.CommitcastClient;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reports cache freshness in {@code /health} and {@code /health/readiness}: always {@code UP} (the service answers
 * correctly from Postgres meanwhile), with detail {@code caches} = {@code TRUSTED} or {@code DEGRADED} (bypassed:
 * the pipeline watermark is missing or older than the budget, the Redis server is not verified, or the invalidator
 * runs other rules), the staleness, whether the eviction subscription is live, and both rules fingerprints.
 */
@Singleton
final class StalenessHealthIndicator implements HealthIndicator {

    private final CommitcastClient client;

    StalenessHealthIndicator(CommitcastClient client) {
        this.client = client;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        ClientStatus state = client.status();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("caches", state.trusted() ? "TRUSTED" : "DEGRADED");
        details.put("guard", state.guardEnabled() ? "ENABLED" : "DISABLED");
        details.put("stalenessMillis", state.staleness() == null ? "no watermark yet" : state.staleness().toMillis());
        details.put("budgetMillis", state.budget().toMillis());
        details.put("watermark", state.watermark() == null ? "none" : state.watermark());
        details.put("evictionSubscription", state.subscribed() ? "UP" : "DOWN");
        details.put("redisServer", state.serverVerified() ? "VERIFIED" : state.serverProblem());
        details.put("rules", state.rules());
        details.put("invalidatorRules", state.otherRules() == null ? "same" : state.otherRules() + " (differs: caches "
                + "bypassed until both run the same rules file)");
        if (!state.trusted()) {
            details.put("impact", "reads bypass the caches and are served from Postgres (X-Cache: BYPASS)");
        }
        return Publishers.just(HealthResult.builder("cache-freshness", HealthStatus.UP).details(details).build());
    }
}
