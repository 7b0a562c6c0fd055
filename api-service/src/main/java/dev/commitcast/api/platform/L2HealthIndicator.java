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
 * Reports L2 (Redis) in {@code /health} and {@code /health/readiness}. Always {@code UP}: without Redis the service
 * still answers from L1 and Postgres, so it must stay ready; the detail {@code l2} says {@code DOWN} (circuit open or
 * not connected) and {@code circuit} gives the breaker state, for operators and alerts.
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
        ClientStatus state = client.status();
        Map<String, Object> details = new LinkedHashMap<>();
        String status = !state.enabled() || !state.l2Enabled() ? "DISABLED" : state.l2Up() ? "UP" : "DOWN";
        details.put("l2", status);
        details.put("connected", state.l2Connected());
        details.put("circuit", state.l2Circuit());
        details.put("consecutiveFailures", state.l2ConsecutiveFailures());
        if (!"UP".equals(status)) {
            details.put("impact", "reads are served from L1 and Postgres; L2 is retried automatically");
        }
        return Publishers.just(HealthResult.builder(NAME, HealthStatus.UP).details(details).build());
    }
}
