package dev.commitcast.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.cdc.testsupport.CdcTestDatabase;
import dev.commitcast.cdc.testsupport.Wait;
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

/** The Micronaut application: configuration from commitcast.cdc.*, /health and /metrics around the connector. */
class ApplicationIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void healthIsUpWhileStreamingAndMetricsAreServedInPrometheusFormat() throws Exception {
        try (CdcTestDatabase db = CdcTestDatabase.migrated("app")) {
            CdcSettings s = db.settings().build();
            Map<String, Object> props = new HashMap<>();
            props.put("micronaut.server.port", -1);
            props.put("commitcast.cdc.jdbc-url", s.jdbcUrl());
            props.put("commitcast.cdc.user", s.user());
            props.put("commitcast.cdc.password", s.password());
            props.put("commitcast.cdc.kafka-bootstrap", s.kafkaBootstrap());
            props.put("commitcast.cdc.topic-prefix", s.topicPrefix());
            props.put("commitcast.cdc.slot-name", s.slotName());
            props.put("commitcast.cdc.data-dir", s.dataDir().toString());
            props.put("commitcast.cdc.heartbeat-interval", "300ms");
            props.put("commitcast.rules", s.rules().toString());
            try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props)) {
                CdcConnector connector = server.getApplicationContext().getBean(CdcConnector.class);
                assertEquals(503, get(server, "/health").statusCode(), "DOWN before the connector streams");

                connector.start();
                assertTrue(connector.awaitStreaming(TIMEOUT));
                Wait.until("health UP", TIMEOUT, () -> get(server, "/health").statusCode() == 200);
                assertTrue(get(server, "/health").body().contains("\"state\":\"STREAMING\""),
                        get(server, "/health").body());

                db.execute("update users set display_name = 'metrics' where id = 1");
                Wait.until(() -> "events_total for users in /metrics:\n" + get(server, "/metrics").body(), TIMEOUT,
                        () -> get(server, "/metrics").body().contains("commitcast_cdc_events_total{op=\"u\",slot=\""
                                + s.slotName() + "\",table=\"users\"} 1.0"));
                HttpResponse<String> metrics = get(server, "/metrics");
                assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
                for (String name : new String[] {"commitcast_cdc_acked_lsn", "commitcast_cdc_source_lag_seconds",
                        "commitcast_cdc_commit_to_ack_seconds_bucket", "commitcast_cdc_slot_retained_wal_bytes",
                        "commitcast_cdc_markers_total", "commitcast_cdc_streaming"}) {
                    assertTrue(metrics.body().contains(name), name + " missing from /metrics");
                }
            }
        }
    }

    @Test
    void aMissingDatabaseUrlIsReportedByKeyAndEnvironmentVariable() {
        Map<String, Object> props = Map.of("micronaut.server.port", -1,
                "commitcast.cdc.user", "cdc", "commitcast.cdc.kafka-bootstrap", "localhost:9092");
        try (ApplicationContext context = ApplicationContext.run(props)) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> context.getBean(CdcConnector.class));
            String message = Application.rootMessage(e);
            assertTrue(message.contains("commitcast.cdc.jdbc-url"), message);
            assertTrue(message.contains("COMMITCAST_PG_JDBC_URL"), message);
        }
    }

    private HttpResponse<String> get(EmbeddedServer server, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
