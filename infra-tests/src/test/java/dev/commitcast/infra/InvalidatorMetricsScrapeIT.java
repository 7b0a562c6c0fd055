package dev.commitcast.infra;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.devstack.DevStack;
import dev.commitcast.infra.support.Exposition;
import dev.commitcast.infra.support.ExportedMetrics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/**
 * The list of exported metric names the dashboards and alerts are checked against, compared with what a running
 * invalidator really serves at {@code GET /metrics}: the Micronaut service booted in-process (as the invalidator's
 * own ApplicationIT does) on the dev stack's Kafka and Redis, with a change topic to be assigned so the
 * per-partition lag gauges exist.
 *
 * <p>Only the invalidator runs here: Micronaut starts every bean definition on the classpath, so the api-service or
 * cdc-connector on this module's classpath would start inside this context (and clash on {@code /metrics}). Scraping
 * them means one JVM each (their {@code target/classpath.txt}) or a module like this one per service.
 */
class InvalidatorMetricsScrapeIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PREFIX = "commitcast_invalidator_";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void invalidatorExportsExactlyTheListedNames() throws Exception {
        DevStack stack = DevStack.shared();
        String id = "infra-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = id + ".public.users";
        String bootstrap = stack.kafka().bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            // Before the start: the pattern subscription sees it at once instead of after a metadata refresh.
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> properties = Map.of(
                "micronaut.server.port", -1,
                "commitcast.key-space", id,
                "commitcast.invalidator.kafka-bootstrap", bootstrap,
                "commitcast.invalidator.redis-uri", stack.redis().uri(),
                "commitcast.invalidator.group-id", id,
                "commitcast.invalidator.topic-prefix", id);

        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties)) {
            URI metrics = URI.create(server.getURL() + "/metrics");
            // Partition lag gauges appear on assignment; an earlier request makes the HTTP server timer appear.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> get(metrics).contains(PREFIX + "lag_records{"));
            String scrape = get(metrics);
            Set<String> exported = Exposition.sampleNames(scrape);

            ExportedMetrics listed = ExportedMetrics.load();
            Set<String> expected = new TreeSet<>(listed.source("invalidator"));
            expected.addAll(listed.source("micronaut-http"));
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(exported);
            assertEquals(Set.of(), missing, "listed in exported-metrics.txt but not exported by the invalidator:\n"
                    + scrape);

            Set<String> unlisted = new TreeSet<>(exported);
            unlisted.removeIf(name -> !name.startsWith(PREFIX));
            unlisted.removeAll(listed.source("invalidator"));
            assertEquals(Set.of(), unlisted, "exported by the invalidator but missing from [invalidator] in "
                    + "exported-metrics.txt");
            assertTrue(scrape.contains("topic=\"" + topic + "\""), "lag gauges are labelled with the topic");
        }
    }

    private String get(URI uri) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), uri + " answered " + response.statusCode());
        return response.body();
    }
}
