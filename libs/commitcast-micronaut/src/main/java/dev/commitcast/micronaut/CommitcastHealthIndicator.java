package dev.commitcast.micronaut;

import dev.commitcast.client.ClientStatus;
import dev.commitcast.client.CommitcastClient;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.util.Map;

/**
 * {@code commitcast} in {@code /health} (with micronaut-management): always {@code UP} — a service whose caches are
 * not trusted answers correctly from its methods — with the client's freshness details ({@code caches}
 * {@code TRUSTED}, {@code DEGRADED} or {@code DISABLED} and why, staleness, subscription, Redis server check, rules
 * fingerprints) and, under {@code l2}, Redis' state.
 */
@Singleton
@Requires(classes = HealthIndicator.class)
final class CommitcastHealthIndicator implements HealthIndicator {

    private final CommitcastClient client;

    CommitcastHealthIndicator(CommitcastClient client) {
        this.client = client;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        ClientStatus state = client.status();
        Map<String, Object> details = state.freshnessDetails();
        details.put("l2", state.l2Details());
        return Publishers.just(HealthResult.builder("commitcast", HealthStatus.UP).details(details).build());
    }
}
