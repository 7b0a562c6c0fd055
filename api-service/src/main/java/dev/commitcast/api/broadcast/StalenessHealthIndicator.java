package dev.commitcast.api.broadcast;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reports cache freshness in {@code /health} and {@code /health/readiness}: always {@code UP} (the service answers
 * correctly from Postgres meanwhile), with detail {@code caches} = {@code TRUSTED} or {@code DEGRADED} (bypassed:
 * the pipeline watermark is missing or older than the budget, or the invalidator runs other rules), the staleness,
 * whether the eviction subscription is live, and both rules fingerprints.
 */
@Singleton
final class StalenessHealthIndicator implements HealthIndicator {

    private final StalenessGuard guard;
    private final EvictionListener listener;
    private final RulesAgreement rules;
    private final RedisIdentity server;

    StalenessHealthIndicator(StalenessGuard guard, EvictionListener listener, RulesAgreement rules,
                             RedisIdentity server) {
        this.guard = guard;
        this.listener = listener;
        this.rules = rules;
        this.server = server;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean trusted = guard.trusted();
        details.put("caches", trusted ? "TRUSTED" : "DEGRADED");
        details.put("guard", guard.enabled() ? "ENABLED" : "DISABLED");
        Duration staleness = guard.staleness();
        details.put("stalenessMillis", staleness == null ? "no watermark yet" : staleness.toMillis());
        details.put("budgetMillis", guard.budget().toMillis());
        details.put("watermark", guard.newest() == null ? "none" : guard.newest().wire());
        details.put("evictionSubscription", listener.isSubscribed() ? "UP" : "DOWN");
        details.put("redisServer", server.verified() ? "VERIFIED" : server.problem());
        details.put("rules", rules.ours());
        details.put("invalidatorRules", rules.agrees() ? "same" : rules.theirs() + " (differs: caches bypassed until "
                + "both run the same rules file)");
        if (!trusted) {
            details.put("impact", "reads bypass the caches and are served from Postgres (X-Cache: BYPASS)");
        }
        return Publishers.just(HealthResult.builder("cache-freshness", HealthStatus.UP).details(details).build());
    }
}
