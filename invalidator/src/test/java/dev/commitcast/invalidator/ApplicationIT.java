package dev.commitcast.invalidator;

import static dev.commitcast.testsupport.Envelopes.change;
import static dev.commitcast.testsupport.Envelopes.key;
import static dev.commitcast.testsupport.Envelopes.row;
import static dev.commitcast.invalidator.support.Fixture.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.invalidator.support.Fixture;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.commitcast.testsupport.Repo;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Micronaut service: config binding and validation, GET /health and GET /metrics. */
class ApplicationIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void servesHealthAndPrometheusMetrics() throws Exception {
        try (Fixture fx = new Fixture("app")) {
            fx.createTopics(1, "users"); // before the start: new topics are discovered within metadata.max.age
            try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties(fx))) {
                checkHealthAndMetrics(fx, server);
            }
        }
    }

    private void checkHealthAndMetrics(Fixture fx, EmbeddedServer server) throws Exception {
        Invalidator invalidator = server.getApplicationContext().getBean(Invalidator.class);
        assertEquals(fx.keySpace.prefix(), invalidator.config().keySpace(), "commitcast.key-space is used");
        fx.send("users", 0, key("id", 9), change("users", "c", null, row("id", 9, "org_id", 1), 100));
        await().atMost(WAIT).until(() -> fx.committed("users", 0) == 1);

        HttpResponse<String> health = get(server, "/health");
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"invalidator\""), health.body());
        assertTrue(health.body().contains("\"state\":\"RUNNING\""), health.body());
        assertTrue(health.body().contains("PONG"), health.body());

        HttpResponse<String> metrics = get(server, "/metrics");
        assertEquals(200, metrics.statusCode());
        String body = metrics.body();
        for (String name : new String[] {"commitcast_invalidator_records_applied_total 1.0",
                "commitcast_invalidator_keys_deleted_total", "commitcast_invalidator_namespaces_flushed_total",
                "commitcast_invalidator_dlq_records_total", "commitcast_invalidator_retries_total{step=\"redis\"}",
                "commitcast_invalidator_batch_records", "commitcast_invalidator_commit_to_delete_seconds_bucket",
                "commitcast_invalidator_commit_to_broadcast_seconds", "commitcast_invalidator_lag_records{",
                "commitcast_invalidator_lag_seconds{", "commitcast_invalidator_watermark_age_seconds"}) {
            assertTrue(body.contains(name), name + " missing in\n" + body);
        }
    }

    @Test
    void refusesToStartWithInvalidConfigurationNamingKeyAndValue() throws Exception {
        try (Fixture fx = new Fixture("app-bad")) {
            Map<String, Object> props = properties(fx);
            props.put("commitcast.invalidator.max-poll-records", "0");
            Exception e = assertThrows(Exception.class, () -> ApplicationContext.run(EmbeddedServer.class, props));
            StringBuilder messages = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertTrue(messages.toString().contains("commitcast.invalidator.max-poll-records is '0'"), messages.toString());
        }
    }

    @Test
    void refusesToStartWithInvalidRulesNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.yml"), """
                keyspace: { prefix: cc, version: 1 }
                kinds:
                  user: { key: "user:{uid}", parts: { id: bigint }, ttl: 1m }
                tables:
                  public.users: { invalidate: [ { kind: user, bind: { id: id } } ] }
                """);
        try (Fixture fx = new Fixture("app-rules")) {
            Map<String, Object> props = properties(fx);
            props.put("commitcast.rules", rules.toString());
            Exception e = assertThrows(Exception.class, () -> ApplicationContext.run(EmbeddedServer.class, props));
            StringBuilder messages = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertTrue(messages.toString().contains(rules + ":3: kinds.user.key: unknown part {uid}"),
                    messages.toString());
        }
    }

    private static Map<String, Object> properties(Fixture fx) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("commitcast.key-space", fx.keySpace.prefix());
        props.put("commitcast.invalidator.kafka-bootstrap", fx.stack.kafka().bootstrapServers());
        props.put("commitcast.invalidator.redis-uri", fx.stack.redis().uri());
        props.put("commitcast.invalidator.group-id", fx.groupId);
        props.put("commitcast.invalidator.topic-prefix", fx.topicPrefix);
        props.put("commitcast.rules", Repo.demoRulesFile().toString());
        return props;
    }

    private HttpResponse<String> get(EmbeddedServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
