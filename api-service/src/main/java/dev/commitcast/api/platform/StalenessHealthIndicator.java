package dev.commitcast.api.platform;

import dev.commitcast.client.CommitcastClient;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * Reports cache freshness in {@code /health} and {@code /health/readiness} as {@code cache-freshness} (which
 * {@code ./commitcast up} waits on): always {@code UP} (the service answers correctly from Postgres meanwhile), with
 * the client's {@link dev.commitcast.client.ClientStatus#freshnessDetails()}: {@code caches} = {@code TRUSTED} or
 * {@code DEGRADED} and why, staleness, subscription, Redis server check and both rules fingerprints.
 */
@Singleton
final class StalenessHealthIndicator implements HealthIndicator {

    private final CommitcastClient client;

    StalenessHealthIndicator(CommitcastClient client) {
        this.client = client;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(HealthResult.builder("cache-freshness", HealthStatus.UP)
                .details(client.status().freshnessDetails()).build());
    }
}
