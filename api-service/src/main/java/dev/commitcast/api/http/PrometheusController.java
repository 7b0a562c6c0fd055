package dev.commitcast.api.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * {@code GET /metrics}: the Prometheus exposition of every meter (the {@code prometheus} management endpoint's
 * content at the conventional path). Rendering walks every meter, so it runs off the event loop.
 */
@Controller("/metrics")
final class PrometheusController {

    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    PrometheusController(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Get
    @ExecuteOn(TaskExecutors.BLOCKING)
    HttpResponse<String> scrape() {
        return HttpResponse.ok(registry.scrape()).contentType(CONTENT_TYPE);
    }
}
