package dev.commitcast.invalidator.health;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;

/**
 * {@code GET /metrics}: every meter in the Prometheus text format (Micronaut's own {@code /metrics} JSON endpoint
 * and {@code /prometheus} are disabled in {@code application.yml}, so scrape configs need no special path).
 */
@Controller("/metrics")
final class MetricsController {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    MetricsController(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Get
    @Produces(PROMETHEUS_TEXT)
    String scrape() {
        return registry.scrape();
    }
}
