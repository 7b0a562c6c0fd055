package dev.commitcast.infra;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.cli.ScriptedPlatform;
import dev.commitcast.infra.support.ExportedMetrics;
import dev.commitcast.infra.support.Exposition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The list of exported metric names the dashboard and the alert rules are checked against (exported-metrics.txt,
 * see MonitoringQueriesTest), compared with what every service really serves at {@code GET /metrics}: the whole
 * platform started as a user starts it ({@code ./commitcast up --detach}, each service its own JVM), after reads on
 * both api-service instances and a SQL change that went through the pipeline, so every metric that appears only once
 * it has observed something is there.
 *
 * <p>For each service: every name listed in its section (and Micronaut's HTTP timer) is exported, and every
 * {@code commitcast_*} name it exports is listed in its section — a renamed metric breaks this test, not a dashboard
 * panel in production.
 */
class PlatformMetricsScrapeIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path HOME = Path.of("target", "scrape-home").toAbsolutePath();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A service's section in exported-metrics.txt and the prefix of the names only it exports. */
    private record Source(String section, String prefix) {
    }

    @Test
    void everyServiceExportsExactlyItsListedNames() throws Exception {
        try (ScriptedPlatform platform = ScriptedPlatform.up(HOME, "--orgs", "2", "--users-per-org", "5")) {
            int instance = 0;
            for (URI api : platform.apiUrls()) {
                // a user no other instance reads: each instance misses both tiers once and queries Postgres (its
                // query timers only exist once used)
                String ownUser = "/v1/orgs/2/users/" + (6 + instance++);
                for (String path : List.of("/v1/orgs/1/settings", "/v1/orgs/1/settings", "/v1/orgs/1/users/1",
                        "/v1/orgs/1/roles/1/permissions", "/v1/orgs/1/users?limit=2", ownUser)) {
                    assertEquals(200, get(api.resolve(path)).statusCode(), api + path);
                }
            }
            platform.psql("update users set display_name = 'Scraped' where id = 1");

            Map<URI, Source> services = new LinkedHashMap<>();
            platform.apiUrls().forEach(api -> services.put(api, new Source("api-service", "commitcast_")));
            services.put(platform.invalidatorUrl(), new Source("invalidator", "commitcast_invalidator_"));
            services.put(platform.cdcUrl(), new Source("cdc-connector", "commitcast_cdc_"));
            // what appears only after an observation: the change's latency histograms and its broadcast on every
            // instance (its eviction reaching the API), and the invalidator's per-partition lag gauges
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
                    scrape(platform.invalidatorUrl()).contains("commitcast_invalidator_commit_to_broadcast_seconds_count")
                            && scrape(platform.invalidatorUrl()).contains("commitcast_invalidator_lag_records{")
                            && scrape(platform.cdcUrl()).contains("commitcast_cdc_commit_to_ack_seconds_count")
                            && platform.apiUrls().stream().allMatch(api -> get(api.resolve("/v1/orgs/1/users/1"))
                            .body().contains("Scraped")));

            ExportedMetrics listed = ExportedMetrics.load();
            for (Map.Entry<URI, Source> service : services.entrySet()) {
                String scrape = scrape(service.getKey());
                Set<String> exported = Exposition.sampleNames(scrape);
                Source source = service.getValue();

                Set<String> expected = new TreeSet<>(listed.source(source.section()));
                expected.addAll(listed.source("micronaut-http"));
                Set<String> missing = new TreeSet<>(expected);
                missing.removeAll(exported);
                assertEquals(Set.of(), missing, "listed in exported-metrics.txt [" + source.section()
                        + "] but not exported by " + service.getKey() + ":\n" + scrape);

                Set<String> unlisted = new TreeSet<>(exported);
                unlisted.removeIf(name -> !name.startsWith(source.prefix()));
                unlisted.removeAll(listed.source(source.section()));
                assertEquals(Set.of(), unlisted, "exported by " + service.getKey() + " but missing from ["
                        + source.section() + "] in exported-metrics.txt");
            }
        }
    }

    private String scrape(URI service) {
        HttpResponse<String> response = get(URI.create(service + "/metrics"));
        assertEquals(200, response.statusCode(), service + "/metrics answered " + response.statusCode());
        return response.body();
    }

    private HttpResponse<String> get(URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("GET " + uri + ": " + e, e);
        }
    }
}
