package dev.commitcast.api.cache;

import dev.commitcast.api.config.CommitcastConfig;
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

    private final L2Store l2;
    private final boolean enabled;

    L2HealthIndicator(L2Store l2, CommitcastConfig config) {
        this.l2 = l2;
        this.enabled = config.cache().enabled() && config.cache().l2().enabled();
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        CircuitBreaker.State circuit = l2.breaker().state();
        boolean connected = l2.connected();
        String status = !enabled ? "DISABLED" : connected && circuit == CircuitBreaker.State.CLOSED ? "UP" : "DOWN";
        details.put("l2", status);
        details.put("connected", connected);
        details.put("circuit", circuit.name());
        details.put("consecutiveFailures", l2.breaker().consecutiveFailures());
        if (!"UP".equals(status)) {
            details.put("impact", "reads are served from L1 and Postgres; L2 is retried automatically");
        }
        return Publishers.just(HealthResult.builder(NAME, HealthStatus.UP).details(details).build());
    }
}
