package dev.commitcast.api.platform;

import dev.commitcast.client.CommitcastClient;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * Reports L2 (Redis) in {@code /health} and {@code /health/readiness} as {@value #NAME}. Always {@code UP}: without
 * Redis the service still answers from L1 and Postgres, so it must stay ready; the details
 * ({@link dev.commitcast.client.ClientStatus#l2Details()}) say {@code DOWN} and give the breaker's state.
 */
@Singleton
final class L2HealthIndicator implements HealthIndicator {

    static final String NAME = "redis-l2";

    private final CommitcastClient client;

    L2HealthIndicator(CommitcastClient client) {
        this.client = client;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(HealthResult.builder(NAME, HealthStatus.UP).details(client.status().l2Details()).build());
    }
}
