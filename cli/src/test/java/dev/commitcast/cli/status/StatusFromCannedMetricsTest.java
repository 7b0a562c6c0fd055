package dev.commitcast.cli.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.commitcast.cli.CliRunner;
import dev.commitcast.cli.ExitCodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code status} against canned {@code /health}, {@code /metrics} and {@code /v1/perf/cache} answers served by local
 * HTTP servers: its numbers are the served ones (and the quantiles those of the served buckets), a DOWN and an
 * unreachable instance are shown as DOWN, and the screen still renders.
 */
class StatusFromCannedMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String INVALIDATOR_METRICS = """
            # HELP commitcast_invalidator_lag_records log end offset minus position
            # TYPE commitcast_invalidator_lag_records gauge
            commitcast_invalidator_lag_records{partition="1",topic="commitcast.public.users",} NaN
            commitcast_invalidator_lag_records{partition="0",topic="commitcast.public.users",} 3.0
            commitcast_invalidator_lag_records{partition="0",topic="commitcast.public.roles",} 0.0
            # TYPE commitcast_invalidator_lag_seconds gauge
            commitcast_invalidator_lag_seconds{partition="0",topic="commitcast.public.users",} 0.25
            commitcast_invalidator_lag_seconds{partition="1",topic="commitcast.public.users",} 1.5
            commitcast_invalidator_lag_seconds{partition="0",topic="commitcast.public.roles",} NaN
            commitcast_invalidator_change_topic_partitions 5.0
            # TYPE commitcast_invalidator_dlq_records_total counter
            commitcast_invalidator_dlq_records_total 2.0
            commitcast_rules_info{fingerprint="0123456789abcdef",} 1.0
            commitcast_invalidator_continuity_resets_total{reason="slot-missing",} 1.0
            commitcast_invalidator_continuity_resets_total{reason="no-offset",} 0.0
            commitcast_invalidator_full_invalidations_total{reason="rules-changed",} 0.0
            commitcast_invalidator_full_invalidations_total{reason="unknown",} 1.0
            # TYPE commitcast_invalidator_commit_to_consumed_seconds histogram
            commitcast_invalidator_commit_to_consumed_seconds_bucket{le="0.005"} 100
            commitcast_invalidator_commit_to_consumed_seconds_bucket{le="+Inf"} 100
            commitcast_invalidator_commit_to_consumed_seconds_count 100
            commitcast_invalidator_commit_to_consumed_seconds_sum 0.3
            # TYPE commitcast_invalidator_commit_to_delete_seconds histogram
            commitcast_invalidator_commit_to_delete_seconds_bucket{le="0.005"} 50
            commitcast_invalidator_commit_to_delete_seconds_bucket{le="0.01"} 100
            commitcast_invalidator_commit_to_delete_seconds_bucket{le="+Inf"} 100
            commitcast_invalidator_commit_to_delete_seconds_count 100
            commitcast_invalidator_commit_to_delete_seconds_sum 0.6
            # TYPE commitcast_invalidator_commit_to_broadcast_seconds histogram
            commitcast_invalidator_commit_to_broadcast_seconds_bucket{le="0.005"} 10
            commitcast_invalidator_commit_to_broadcast_seconds_bucket{le="0.01"} 40
            commitcast_invalidator_commit_to_broadcast_seconds_bucket{le="0.025"} 90
            commitcast_invalidator_commit_to_broadcast_seconds_bucket{le="0.05"} 99
            commitcast_invalidator_commit_to_broadcast_seconds_bucket{le="0.1"} 100
            commitcast_invalidator_commit_to_broadcast_seconds_bucket{le="+Inf"} 100
            commitcast_invalidator_commit_to_broadcast_seconds_count 100
            commitcast_invalidator_commit_to_broadcast_seconds_sum 1.5
            """;

    private static final String PERF_1 = """
            {"hitRate":0.95,"tiers":{"l1":{"hits":80,"misses":20,"hitRate":0.8},"l2":{"hits":15,"misses":5,"hitRate":0.75}},
             "kinds":{"settings":{"l1":{"hits":50,"misses":10,"hitRate":0.8333,"fills":10,"fillsRejected":0},
                                  "l2":{"hits":8,"misses":2,"hitRate":0.8,"fills":2,"fillsRejected":0},
                                  "singleFlightJoins":0,"leasesBusy":0},
                      "user":{"l1":{"hits":30,"misses":10,"hitRate":0.75,"fills":10,"fillsRejected":1},
                              "l2":{"hits":7,"misses":3,"hitRate":0.7,"fills":3,"fillsRejected":0},
                              "singleFlightJoins":1,"leasesBusy":0}},
             "fallbacks":{"l2_unavailable":1,"l2_error":2,"corrupt_value":0},"bypass":{"disabled":0,"stale":3},
             "l1":{"size":10,"weightBytes":1000,"maxWeightBytes":1000000},"l2":{"connected":true,"circuit":"CLOSED"},
             "loadsInFlight":0,"staleness":{"trusted":true,"millis":750,"budgetMillis":5000,"guard":true}}
            """;

    private static final String PERF_2 = """
            {"hitRate":0.5,"tiers":{"l1":{"hits":10,"misses":10,"hitRate":0.5},"l2":{"hits":0,"misses":10,"hitRate":0.0}},
             "kinds":{"settings":{"l1":{"hits":10,"misses":10,"hitRate":0.5},"l2":{"hits":0,"misses":10,"hitRate":0.0}}},
             "fallbacks":{"l2_unavailable":4,"l2_error":0,"corrupt_value":0},"bypass":{"disabled":0,"stale":0}}
            """;

    private static final String RULES = "commitcast_rules_info{fingerprint=\"0123456789abcdef\",} 1.0\n";

    private static String previousHome;
    private static CannedService foreignInvalidator;
    private static CannedService apiReceivingForeignEvictions;
    private static CannedService api1;
    private static CannedService api2;
    private static CannedService invalidator;
    private static CannedService cdc;
    private static String unreachable;

    @BeforeAll
    static void serve() throws Exception {
        previousHome = System.getProperty("commitcast.home");
        System.setProperty("commitcast.home", Files.createTempDirectory("commitcast-no-platform").toString());
        api1 = new CannedService().answer("/health", 200, "{\"status\":\"UP\"}")
                .answer("/metrics", 200, "# TYPE commitcast_staleness_seconds gauge\ncommitcast_staleness_seconds 0.75\n"
                        + RULES + "commitcast_rules_mismatch 0.0\n"
                        + "commitcast_broadcast_delay_seconds_bucket{le=\"0.002\",} 10\n"
                        + "commitcast_broadcast_delay_seconds_bucket{le=\"0.004\",} 20\n"
                        + "commitcast_broadcast_delay_seconds_bucket{le=\"+Inf\",} 20\n")
                .answer("/v1/perf/cache", 200, PERF_1);
        api2 = new CannedService()
                .answer("/health", 503, "{\"status\":\"DOWN\",\"details\":{\"l2\":{\"status\":\"DOWN\"},"
                        + "\"jdbc\":{\"status\":\"UP\"}}}")
                .answer("/metrics", 200, "commitcast_staleness_seconds 2.5\n")
                .answer("/v1/perf/cache", 200, PERF_2);
        invalidator = new CannedService().answer("/health", 200, "{\"status\":\"UP\"}")
                .answer("/metrics", 200, INVALIDATOR_METRICS);
        cdc = new CannedService().answer("/health", 200, "{\"status\":\"UP\"}")
                .answer("/metrics", 200, "commitcast_cdc_source_lag_seconds{slot=\"commitcast\",} 0.4\n" + RULES
                        + "commitcast_cdc_continuity_resets_total{reason=\"no-offset\",slot=\"commitcast\",} 1.0\n"
                        + "commitcast_cdc_continuity_resets_total{reason=\"slot-missing\",slot=\"commitcast\",} 1.0\n"
                        + "commitcast_cdc_continuity_resets_total{reason=\"slot-lost\",slot=\"commitcast\",} 0.0\n"
                        + "commitcast_cdc_commit_to_decoded_seconds_bucket{slot=\"commitcast\",le=\"0.001\",} 100\n"
                        + "commitcast_cdc_commit_to_decoded_seconds_bucket{slot=\"commitcast\",le=\"+Inf\",} 100\n"
                        + "commitcast_cdc_commit_to_ack_seconds_bucket{slot=\"commitcast\",le=\"0.002\",} 40\n"
                        + "commitcast_cdc_commit_to_ack_seconds_bucket{slot=\"commitcast\",le=\"0.004\",} 100\n"
                        + "commitcast_cdc_commit_to_ack_seconds_bucket{slot=\"commitcast\",le=\"+Inf\",} 100\n"
                        + "commitcast_cdc_commit_to_ack_seconds_count{slot=\"commitcast\",} 100\n");
        foreignInvalidator = new CannedService().answer("/health", 200, "{\"status\":\"UP\"}")
                .answer("/metrics", 200, "commitcast_rules_info{fingerprint=\"fedcba9876543210\",} 1.0\n");
        apiReceivingForeignEvictions = new CannedService().answer("/health", 200, "{\"status\":\"UP\"}")
                .answer("/metrics", 200, RULES + "commitcast_rules_mismatch 1.0\n")
                .answer("/v1/perf/cache", 200, PERF_2);
        unreachable = CannedService.unreachableUrl();
    }

    @AfterAll
    static void stop() {
        for (CannedService service : new CannedService[] {api1, api2, invalidator, cdc, foreignInvalidator,
                apiReceivingForeignEvictions}) {
            service.close();
        }
        if (previousHome == null) {
            System.clearProperty("commitcast.home");
        } else {
            System.setProperty("commitcast.home", previousHome);
        }
    }

    private static CliRunner.Run status(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("status", "--api",
                api1.url() + "," + api2.url() + "," + unreachable, "--invalidator", invalidator.url(), "--cdc", cdc.url()));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void jsonCarriesTheServedNumbers() throws Exception {
        CliRunner.Run run = status("--json");
        assertEquals(ExitCodes.PARTIAL, run.exit(), "an instance is DOWN: " + run.all());
        JsonNode s = JSON.readTree(run.out());

        assertFalse(s.get("healthy").asBoolean());
        JsonNode services = s.get("services");
        assertEquals(List.of("api-service-1", "api-service-2", "api-service-3", "invalidator", "cdc-connector"),
                services.findValuesAsText("name"));
        assertEquals(List.of("UP", "DOWN", "DOWN", "UP", "UP"), services.findValuesAsText("status"));
        assertEquals("HTTP 503: l2 DOWN", services.get(1).get("detail").asText());
        assertEquals("unreachable (connection refused)", services.get(2).get("detail").asText());

        JsonNode rules = s.get("rules");
        assertTrue(rules.get("agree").asBoolean(), rules.toString());
        assertEquals(List.of("api-service-1", "api-service-2", "invalidator", "cdc-connector"),
                rules.get("processes").findValuesAsText("name"), "every process whose /metrics answered");
        assertEquals("0123456789abcdef", rules.get("processes").get(0).get("fingerprint").asText());
        assertTrue(rules.get("processes").get(1).get("fingerprint").isNull(), "api-service-2 reports none");

        JsonNode lag = s.get("consumerLag");
        assertEquals(3, lag.size());
        assertEquals("commitcast.public.roles", lag.get(0).get("topic").asText(), "sorted by topic, partition");
        assertEquals(0.0, lag.get(0).get("records").asDouble());
        assertTrue(lag.get(0).get("seconds").isNull(), "NaN is unknown");
        assertEquals(3.0, lag.get(1).get("records").asDouble());
        assertEquals(0.25, lag.get(1).get("seconds").asDouble());
        assertTrue(lag.get(2).get("records").isNull());
        assertEquals(1.5, lag.get(2).get("seconds").asDouble());

        JsonNode group = s.get("consumerGroup");
        assertEquals(3, group.get("owned").asInt(), group.toString());
        assertEquals(5, group.get("total").asInt(), "the change topics' partitions: " + group);

        JsonNode latency = s.get("invalidationLatency");
        assertEquals(100, latency.get("commitToBroadcast").get("count").asDouble());
        assertEquals(100, latency.get("commitToAck").get("count").asDouble(), "the connector's stage");
        assertEquals(0.002 + 0.002 * 10 / 60, latency.get("commitToAck").get("p50Seconds").asDouble(), 1e-12);
        assertEquals(0.0025, latency.get("commitToConsumed").get("p50Seconds").asDouble(), 1e-12);
        assertEquals(0.01 + 0.015 * 10 / 50, latency.get("commitToBroadcast").get("p50Seconds").asDouble(), 1e-12);
        assertEquals(0.05, latency.get("commitToBroadcast").get("p99Seconds").asDouble(), 1e-12);
        assertEquals(0.005, latency.get("commitToDelete").get("p50Seconds").asDouble(), 1e-12);
        assertEquals(0.005 + 0.005 * 49 / 50, latency.get("commitToDelete").get("p99Seconds").asDouble(), 1e-12);
        assertTrue(latency.get("commitToBroadcast").get("recentP50Seconds").isNull(), "no previous scrape");
        assertEquals(0.0005, latency.get("commitToDecoded").get("p50Seconds").asDouble(), 1e-12, "the first stage");
        JsonNode received = latency.get("broadcastToReceived");
        assertEquals(List.of(api1.url(), api2.url()), received.findValuesAsText("url"),
                "every api-service instance whose /metrics answered, in order");
        assertEquals(20, received.get(0).get("quantiles").get("count").asDouble());
        assertEquals(0.002, received.get(0).get("quantiles").get("p50Seconds").asDouble(), 1e-12);
        assertTrue(received.get(1).get("quantiles").isNull(), "api-service-2 exports no delay histogram");

        JsonNode staleness = s.get("staleness");
        assertEquals(2.5, staleness.get("maxSeconds").asDouble());
        assertEquals(0.75, staleness.get("apiInstances").get(0).get("seconds").asDouble());
        assertEquals(0.4, staleness.get("cdcSourceLagSeconds").asDouble());

        JsonNode cache = s.get("cache");
        assertEquals((80.0 + 15 + 10 + 0) / (100 + 20), cache.get("hitRate").asDouble(), 1e-12,
                "(L1 + L2 hits) / L1 lookups, summed over the instances that answered");
        assertEquals(90, cache.get("tiers").get("l1").get("hits").asLong());
        assertEquals(30, cache.get("tiers").get("l1").get("misses").asLong());
        assertEquals(15, cache.get("tiers").get("l2").get("hits").asLong());
        assertEquals(60, cache.get("kinds").get("settings").get("l1").get("hits").asLong());
        assertEquals(20, cache.get("kinds").get("settings").get("l1").get("misses").asLong());
        assertEquals(0.7, cache.get("kinds").get("user").get("l2").get("hitRate").asDouble(), 1e-12);
        assertEquals(5, cache.get("fallbacks").get("l2_unavailable").asLong());
        assertEquals(2, cache.get("fallbacks").get("l2_error").asLong());
        assertEquals(3, cache.get("bypass").get("stale").asLong());
        assertEquals(2, cache.get("instances").size());
        assertEquals(0.95, cache.get("instances").get(0).get("hitRate").asDouble(), 1e-12);

        JsonNode continuity = s.get("continuity");
        assertEquals(1.0, continuity.get("connectorResets").get("no-offset").asDouble());
        assertEquals(1.0, continuity.get("connectorResets").get("slot-missing").asDouble());
        assertEquals(2, continuity.get("connectorResets").size(), "zero counts left out: " + continuity);
        assertEquals(1.0, continuity.get("invalidatorResets").asDouble());
        assertEquals(1.0, continuity.get("fullInvalidations").get("unknown").asDouble());

        assertEquals("commitcast.dlq", s.get("dlq").get("topic").asText());
        assertEquals(2.0, s.get("dlq").get("deadLetteredTotal").asDouble());
        assertTrue(s.get("dlq").get("records").isNull(), "Kafka was not given");
        assertTrue(s.get("notes").toString().contains("api-service-3 /metrics: unreachable"), s.get("notes").toString());
    }

    @Test
    void theScreenRendersWithADownService() {
        CliRunner.Run run = status();
        assertEquals(ExitCodes.PARTIAL, run.exit(), run.all());
        String screen = run.out();
        assertTrue(screen.contains("DEGRADED: a service is DOWN"), screen);
        assertTrue(screen.matches("(?s).*api-service-3\\s+" + unreachable + "\\s+DOWN unreachable.*"), screen);
        assertTrue(screen.matches("(?s).*commitcast\\.public\\.users\\s+0\\s+3\\s+0\\.250.*"), screen);
        assertTrue(screen.contains("  2 of 5 partitions have no owner: nothing consumes them"), screen);
        assertTrue(screen.matches("(?s).*to L1 broadcast\\s+13\\.0 ms\\s+50\\.0 ms\\s+100.*"), screen);
        assertTrue(screen.matches("(?s).*to decoded \\(cdc-connector\\)\\s+0\\.5 ms\\s+.*"
                + "to acknowledged by Kafka \\(cdc-connector\\)\\s+2\\.3 ms\\s+.*"
                + "to consumed \\(invalidator\\)\\s+2\\.5 ms.*to Redis delete.*to L1 broadcast.*"
                + "from the L1 broadcast\\s+to received by " + api1.url() + "\\s+2\\.0 ms.*"), "stages in pipeline order: "
                + screen);
        assertTrue(screen.contains("Cache hit rate 87.5 %"), screen);
        assertTrue(screen.contains("fallbacks corrupt_value 0, l2_error 2, l2_unavailable 5"), screen);
        assertTrue(screen.contains("DLQ commitcast.dlq: ? in the topic, 2 dead-lettered since the invalidator started"),
                screen);
        assertTrue(screen.matches("(?s).*connector continuity resets\\s+no-offset 1, slot-missing 1.*"), screen);
        assertTrue(screen.matches("(?s).*invalidator resets acted on\\s+1\\s+full invalidations unknown 1.*"), screen);
    }

    @Test
    void processesRunningDifferentRulesMakeTheStatusDegraded() throws Exception {
        CliRunner.Run run = CliRunner.run("status", "--api", api1.url(), "--invalidator", foreignInvalidator.url(),
                "--cdc", cdc.url());
        assertEquals(ExitCodes.PARTIAL, run.exit(), "every service is UP but the rules differ: " + run.all());
        String screen = run.out();
        assertTrue(screen.contains("DEGRADED: processes run different rules"), screen);
        assertTrue(screen.contains("Rules   DIFFER"), screen);
        assertTrue(screen.matches("(?s).*invalidator\\s+fedcba9876543210.*"), screen);

        CliRunner.Run json = CliRunner.run("status", "--json", "--api", apiReceivingForeignEvictions.url(),
                "--invalidator", invalidator.url());
        assertEquals(ExitCodes.PARTIAL, json.exit(), "the same fingerprints, but the instance receives evictions "
                + "published under other rules (an invalidator status cannot see): " + json.all());
        JsonNode rules = JSON.readTree(json.out()).get("rules");
        assertFalse(rules.get("agree").asBoolean(), rules.toString());
        assertTrue(rules.get("processes").get(0).get("broadcastsDiffer").asBoolean(), rules.toString());
    }

    @Test
    void allUpExitsZero() {
        CliRunner.Run run = CliRunner.run("status", "--json", "--api", api1.url(), "--invalidator", invalidator.url());
        assertEquals(ExitCodes.OK, run.exit(), run.all());
        assertTrue(run.out().contains("\"healthy\" : true"), run.out());
    }
}
