package dev.commitcast.cdc.health;

import dev.commitcast.cdc.CdcConnector;
import dev.commitcast.cdc.CdcStatus;
import dev.commitcast.events.WatermarkMarker;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;

/** {@code /health}: UP while the engine streams and the last batch reached Kafka. */
@Singleton
public class CdcHealthIndicator implements HealthIndicator {
    private final CdcConnector connector;

    public CdcHealthIndicator(CdcConnector connector) {
        this.connector = connector;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        CdcStatus status = connector.status();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", status.state().name());
        details.put("producerHealthy", status.producerHealthy());
        details.put("slot", connector.settings().slotName());
        if (status.ackedLsn() >= 0) {
            details.put("ackedLsn", WatermarkMarker.pgLsn(status.ackedLsn()));
        }
        status.ackedCommitTime().ifPresent(t -> details.put("ackedCommitTime", t.toString()));
        details.put("engineRestarts", status.engineRestarts());
        status.lastError().ifPresent(e -> details.put("lastError", e));
        status.lastReset().ifPresent(r -> details.put("lastContinuityReset", Map.of("reason", r.reason(),
                "detail", r.detail(), "at", r.at().toString(), "id", r.id())));
        return Publishers.just(HealthResult.builder("cdc", status.healthy() ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }
}
