package dev.commitcast.cli;

import dev.commitcast.testsupport.RedisMonitor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.commitcast.cli.events.EventLines;
import dev.commitcast.cli.events.EventRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The issue's acceptance checks, through the real script: {@code ./commitcast up --detach && eval "$(./commitcast
 * env)" && psql "$COMMITCAST_PG_URL" -c 'select count(*) from users' && ./commitcast down} works and leaves no
 * process running; {@code up} sent one row change through the whole pipeline before it was ready
 * ({@link PipelineCheck}). On the running platform: the operator commands (status, warm, record, replay, flush) find every
 * endpoint from its state; {@code status --json} agrees with the services' own {@code /metrics}; {@code record} then
 * {@code replay} of SQL changes deletes exactly the Redis keys the live pipeline deleted for them (both watched with
 * Redis' {@code MONITOR}); and {@code --with-prometheus} scrapes it (a missing prometheus fails the test).
 */
class CommitcastUpDownIT {
    private static final Path HOME = Path.of("target", "it-home").toAbsolutePath();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterAll
    static void downEvenWhenATestFailed() {
        ScriptedPlatform.commitcast(ScriptedPlatform.environment(HOME), List.of("down"));
    }

    @Test
    void upDetachEnvPsqlDownLeavesNoProcess() throws Exception {
        // A missing prometheus fails this test rather than skipping its checks silently (ADR-0005).
        assertTrue(PrometheusProcess.locate().isPresent(), "up --with-prometheus is checked here: install Debian's "
                + "prometheus (apt-get install prometheus; .ci/run does)");
        ScriptedPlatform platform = ScriptedPlatform.up(HOME, "--orgs", "3", "--users-per-org", "7",
                "--with-prometheus");

        Map<String, String> exports = platform.exports();
        assertTrue(exports.get("COMMITCAST_PG_URL").startsWith("postgresql://"), exports.toString());
        assertTrue(exports.containsKey("COMMITCAST_REDIS_URL") && exports.containsKey("COMMITCAST_KAFKA_BOOTSTRAP"));
        assertEquals("21", platform.psql("select count(*) from users"));
        String supervisorLog = Files.readString(HOME.resolve("logs").resolve("supervisor.log"));
        assertTrue(supervisorLog.contains("pipeline check: a no-op update of one row of public.org_settings went "
                + "through (evictions applied by 2 api-services)"), "up sent one change through before it was ready: "
                + supervisorLog);

        operatorCommandsWork(platform);
        statusJsonAgreesWithMetrics(platform);
        replayDeletesWhatThePipelineDeleted(platform);
        prometheusScrapesThePlatform(platform.export("COMMITCAST_PROMETHEUS_URL"));

        StackState state = StackState.read(HOME).orElseThrow();
        List<ProcessRecord> processes = new ArrayList<>(ProcessRecord.parse(state.get(StackState.CHILDREN)));
        processes.add(new ProcessRecord(state.pid(), 0));
        assertTrue(processes.size() >= 4, "supervisor, Postgres, Redis, Kafka at least: " + processes);

        ScriptedPlatform.Result down = platform.commitcast("down");
        assertEquals(0, down.exit(), down.output());
        for (ProcessRecord process : processes) {
            assertFalse(process.live().isPresent(), "still running after down: " + process);
        }
        assertFalse(Files.exists(HOME.resolve(StackState.FILE)), "down removes the state file");
        ScriptedPlatform.Result envAfter = platform.commitcast("env");
        assertEquals(1, envAfter.exit());
        assertTrue(envAfter.output().contains("no running platform"), envAfter.output());
    }

    /** status, warm, record, replay and flush against the running platform, endpoints from its state only. */
    private static void operatorCommandsWork(ScriptedPlatform platform) throws Exception {
        // The invalidator may not have its partitions assigned yet: poll until it reports them, with a deadline.
        AtomicReference<ScriptedPlatform.Result> last = new AtomicReference<>();
        JsonNode snapshot = await("status --json lists the invalidator's partitions").atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    ScriptedPlatform.Result run = platform.commitcast("status", "--json");
                    last.set(run);
                    int json = run.output().indexOf('{');
                    return run.exit() != 0 || json < 0 ? null : JSON.readTree(run.output().substring(json));
                }, json -> json != null && !json.get("consumerLag").isEmpty());
        ScriptedPlatform.Result status = last.get();
        assertEquals(0, status.exit(), status.output());
        assertEquals(List.of("api-service-1", "api-service-2", "invalidator", "cdc-connector"),
                snapshot.get("services").findValuesAsText("name"));
        assertEquals(List.of("UP", "UP", "UP", "UP"), snapshot.get("services").findValuesAsText("status"));
        assertTrue(snapshot.get("consumerLag").size() > 0, "the invalidator reports its partitions: " + snapshot);
        assertEquals("commitcast.dlq", snapshot.get("dlq").get("topic").asText());

        ScriptedPlatform.Result warm = platform.commitcast("warm", "--org", "1");
        assertEquals(0, warm.exit(), warm.output());
        // settings, roles, 20 roles' permissions, users: 23 requests per instance, each answered by some tier
        assertTrue(warm.output().matches("(?s).*total: MISS \\d+  L2 \\d+  L1 \\d+  BYPASS 0  \\(404: 0, errors: 0\\).*"),
                "up waited until the caches are trusted, so nothing bypasses them: " + warm.output());
        assertTrue(warm.output().contains(" 23 requests in "), warm.output());

        ScriptedPlatform.Result screen = platform.commitcast("status");
        assertEquals(0, screen.exit(), screen.output());
        assertTrue(screen.output().contains("HEALTHY") && screen.output().contains("Cache hit rate"), screen.output());

        Path recorded = HOME.resolve("recorded.jsonl");
        Files.deleteIfExists(recorded);
        // Started in the background and followed at once by an UPDATE, as a user would: the change is made while the
        // command's JVM still starts, and is recorded all the same (it records from the moment it was invoked).
        CompletableFuture<ScriptedPlatform.Result> recording = CompletableFuture.supplyAsync(
                () -> platform.commitcast("record", "--out", recorded.toString(), "--for", "6s"));
        // the events carry the primary key and the columns the rules read, not display_name: find it by its txId
        String txId = platform.psql("update users set display_name = 'Recorded While Starting' where id = 2 "
                + "returning txid_current()").lines().findFirst().orElseThrow().strip();
        ScriptedPlatform.Result record = recording.get(2, TimeUnit.MINUTES);
        assertEquals(0, record.exit(), record.output());
        assertTrue(Files.readString(recorded).contains("txId\\\":" + txId + ","), // in the value's JSON string
                "the update made while record was starting (transaction " + txId + ") is in the file: "
                        + record.output());
        assertTrue(record.output().matches("(?s).*recording \\d+ partitions of \\d+ topics.*wrote \\d+ records.*"),
                record.output());
        assertFalse(record.output().contains("ConsumerConfig values"), "client logs stay quiet: " + record.output());
        ScriptedPlatform.Result replay = platform.commitcast("replay", "--file", recorded.toString(), "--dry-run");
        assertEquals(0, replay.exit(), replay.output());
        assertTrue(replay.output().contains("nothing was changed"), replay.output());

        ScriptedPlatform.Result flush = platform.commitcast("flush", "--namespace", "tag=1", "--yes");
        assertEquals(0, flush.exit(), flush.output());
        assertTrue(flush.output().contains("flushed namespace tag=1"), flush.output());
    }

    /**
     * {@code status --json} against the services' {@code /metrics}, scraped right before and right after it: each
     * counter it shows lies between the two scrapes (nothing reads the API meanwhile, so they are normally equal),
     * and it lists exactly the partitions the invalidator exports lag for. The cache numbers come from
     * {@code /v1/perf/cache}, so this also checks that endpoint against the Prometheus counters.
     */
    private static void statusJsonAgreesWithMetrics(ScriptedPlatform platform) throws Exception {
        List<URI> apis = platform.apiUrls();
        // some traffic first, so there are hits and misses in both tiers and on both instances
        for (URI api : apis) {
            for (String path : List.of("/v1/orgs/2/settings", "/v1/orgs/2/settings", "/v1/orgs/2/users/9",
                    "/v1/orgs/2/roles", "/v1/orgs/3/users?limit=5")) {
                assertEquals(200, get(api.resolve(path)).statusCode(), api + path);
            }
        }
        List<Scrape> before = scrapeAll(platform);
        ScriptedPlatform.Result status = platform.commitcast("status", "--json");
        List<Scrape> after = scrapeAll(platform);
        assertEquals(0, status.exit(), status.output());
        JsonNode snapshot = JSON.readTree(status.output().substring(status.output().indexOf('{')));

        List<String> urls = new ArrayList<>(apis.stream().map(URI::toString).toList());
        urls.add(platform.invalidatorUrl().toString());
        urls.add(platform.cdcUrl().toString());
        assertEquals(urls, snapshot.get("services").findValuesAsText("url"));

        Scrape invalidatorBefore = before.get(apis.size());
        Scrape invalidatorAfter = after.get(apis.size());
        Set<String> partitions = new TreeSet<>();
        snapshot.get("consumerLag").forEach(lag -> partitions.add(lag.get("topic").asText() + "-"
                + lag.get("partition").asInt()));
        assertEquals(invalidatorBefore.labelValues("commitcast_invalidator_lag_records", "topic", "partition"),
                partitions, "status shows lag for exactly the partitions the invalidator exports");
        snapshot.get("consumerLag").forEach(lag -> assertTrue(lag.get("records").isNumber()
                && lag.get("seconds").isNumber(), lag.toString()));

        for (String histogram : List.of("commitToConsumed", "commitToDelete", "commitToBroadcast")) {
            String metric = "commitcast_invalidator_" + histogram.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT)
                    + "_seconds_count";
            assertBetween(invalidatorBefore.sum(metric), snapshot.at("/invalidationLatency/" + histogram + "/count"),
                    invalidatorAfter.sum(metric), histogram + " count vs " + metric);
        }
        assertBetween(invalidatorBefore.sum("commitcast_invalidator_dlq_records_total"),
                snapshot.at("/dlq/deadLetteredTotal"), invalidatorAfter.sum("commitcast_invalidator_dlq_records_total"),
                "dlq.deadLetteredTotal");

        long lookups = 0;
        for (String tier : List.of("l1", "l2")) {
            for (String result : List.of("hit", "miss")) {
                String field = result.equals("hit") ? "hits" : "misses";
                double low = 0;
                double high = 0;
                for (int i = 0; i < apis.size(); i++) {
                    low += before.get(i).sum("commitcast_cache_requests_total", "tier", tier, "result", result);
                    high += after.get(i).sum("commitcast_cache_requests_total", "tier", tier, "result", result);
                    assertBetween(before.get(i).sum("commitcast_cache_requests_total", "tier", tier, "result", result),
                            snapshot.at("/cache/instances/" + i + "/tiers/" + tier + "/" + field),
                            after.get(i).sum("commitcast_cache_requests_total", "tier", tier, "result", result),
                            "instance " + i + " " + tier + " " + field);
                }
                assertBetween(low, snapshot.at("/cache/tiers/" + tier + "/" + field), high, tier + " " + field);
                lookups += snapshot.at("/cache/tiers/" + tier + "/" + field).asLong();
            }
            for (String kind : List.of("settings", "user", "roles", "user_list")) {
                double low = 0;
                double high = 0;
                for (int i = 0; i < apis.size(); i++) {
                    low += before.get(i).sum("commitcast_cache_requests_total", "tier", tier, "kind", kind, "result", "hit");
                    high += after.get(i).sum("commitcast_cache_requests_total", "tier", tier, "kind", kind, "result", "hit");
                }
                assertBetween(low, snapshot.at("/cache/kinds/" + kind + "/" + tier + "/hits"), high,
                        kind + " " + tier + " hits");
            }
        }
        assertTrue(lookups > 0, "the reads above were counted: " + snapshot.get("cache"));
        snapshot.at("/cache/fallbacks").properties().forEach(reason -> {
            double low = 0;
            double high = 0;
            for (int i = 0; i < apis.size(); i++) {
                low += before.get(i).sum("commitcast_cache_fallbacks_total", "reason", reason.getKey());
                high += after.get(i).sum("commitcast_cache_fallbacks_total", "reason", reason.getKey());
            }
            assertBetween(low, reason.getValue(), high, "fallbacks " + reason.getKey());
        });
        for (int i = 0; i < apis.size(); i++) {
            JsonNode seconds = snapshot.at("/staleness/apiInstances/" + i + "/seconds");
            assertTrue(seconds.isNumber() && seconds.asDouble() >= 0
                            && seconds.asDouble() <= Math.max(before.get(i).sum("commitcast_staleness_seconds"),
                            after.get(i).sum("commitcast_staleness_seconds")) + 5,
                    "instance " + i + " staleness " + seconds + " vs commitcast_staleness_seconds");
        }
        assertTrue(snapshot.at("/staleness/cdcSourceLagSeconds").isNumber(), snapshot.get("staleness").toString());
    }

    /**
     * The issue's replay guarantee: SQL changes go through the live pipeline while Redis' MONITOR watches which keys
     * it UNLINKs; the same changes, recorded with {@code record --from-time}, are replayed with {@code replay --file}
     * under MONITOR again; both delete exactly the same keys.
     */
    private static void replayDeletesWhatThePipelineDeleted(ScriptedPlatform platform) throws Exception {
        List<String> changes = List.of(
                "update users set display_name = 'Grace Hopper' where id = 2",
                "update users set org_id = 2, role_id = null where id = 3",
                "insert into users (org_id, email, display_name) values (3, 'new@example.com', 'New User')",
                "insert into role_permissions (org_id, role_id, permission) values (1, 1, 'replay.check')",
                "delete from role_permissions where role_id = 22 and permission = "
                        + "(select min(permission) from role_permissions where role_id = 22)",
                "update org_settings set timezone = 'Europe/Berlin' where org_id = 3",
                "update roles set description = 'replayed' where id = 41");
        try (RedisMonitor monitor = RedisMonitor.start(platform.export("COMMITCAST_REDIS_URL"))) {
            monitor.sync(WAIT);
            monitor.clear();
            Instant since = Instant.now();
            for (String change : changes) {
                platform.psql(change); // one transaction each
            }
            Path file = HOME.resolve("replay-check.jsonl");
            Files.deleteIfExists(file);
            ScriptedPlatform.Result record = platform.commitcast("record", "--out", file.toString(), "--no-markers",
                    "--from-time", since.toString(), "--max-records", String.valueOf(changes.size()), "--for", "60s");
            assertEquals(0, record.exit(), record.output());
            List<EventRecord> events = Files.readAllLines(file).stream().map(EventLines::parse).toList();
            assertEquals(changes.size(), events.size(), "one event per change: " + events);

            awaitInvalidatorCommitted(platform, events);
            monitor.sync(WAIT);
            Set<String> live = unlinkedKeys(monitor.commands());
            monitor.clear();

            ScriptedPlatform.Result replay = platform.commitcast("replay", "--file", file.toString());
            assertEquals(0, replay.exit(), replay.output());
            monitor.sync(WAIT);
            Set<String> replayed = unlinkedKeys(monitor.commands());

            assertTrue(live.size() >= 2 * changes.size(), "the pipeline deleted values and leases for every change: "
                    + live);
            assertTrue(live.contains("cc:v1:org:{1}:user:2") && live.contains("cc:v1:org:{2}:user:3")
                    && live.contains("cc:v1:org:{1}:user:3"), "an org move busts the user in both orgs: " + live);
            assertEquals(live, replayed, "replay deletes exactly the keys the live pipeline deleted");
        }
    }

    /** Waits until the invalidator's consumer group committed past every one of the events. */
    private static void awaitInvalidatorCommitted(ScriptedPlatform platform, List<EventRecord> events)
            throws Exception {
        Map<TopicPartition, Long> needed = new HashMap<>();
        events.forEach(e -> needed.merge(new TopicPartition(e.topic(), e.partition()), e.offset() + 1, Math::max));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.export("COMMITCAST_KAFKA_BOOTSTRAP")))) {
            await("the invalidator commits past " + needed).atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        Map<TopicPartition, OffsetAndMetadata> committed = admin
                                .listConsumerGroupOffsets("commitcast-invalidator").partitionsToOffsetAndMetadata()
                                .get(10, TimeUnit.SECONDS);
                        return needed.entrySet().stream().allMatch(n -> committed.get(n.getKey()) != null
                                && committed.get(n.getKey()).offset() >= n.getValue());
                    });
        }
    }

    /**
     * Keys deleted by clients' own commands: the invalidator's and the cli's UNLINKs. Commands run inside Redis'
     * Lua scripts (the API's fill script deletes its lease) are not invalidations; nothing reads the API in the
     * window anyway.
     */
    private static Set<String> unlinkedKeys(List<RedisMonitor.Command> commands) {
        Set<String> keys = new TreeSet<>();
        for (RedisMonitor.Command command : commands) {
            if (!command.client().equals("lua") && (command.name().equals("UNLINK") || command.name().equals("DEL"))) {
                keys.addAll(command.words().subList(1, command.words().size()));
            }
        }
        return keys;
    }

    private static void prometheusScrapesThePlatform(String url) throws Exception {
        assertTrue(url != null && url.startsWith("http://127.0.0.1:"), "COMMITCAST_PROMETHEUS_URL: " + url);
        HttpResponse<String> targets = get(URI.create(url + "/api/v1/targets"));
        assertEquals(200, targets.statusCode(), targets.body());
        for (String job : List.of("commitcast-api", "commitcast-invalidator", "commitcast-cdc")) {
            assertTrue(targets.body().contains("\"job\":\"" + job + "\""), job + " in " + targets.body());
        }
        HttpResponse<String> rules = get(URI.create(url + "/api/v1/rules"));
        assertTrue(rules.body().contains("\"type\":\"alerting\""), "the compose alert rules are loaded: "
                + rules.body());
    }

    @Test
    void aTakenServicePortStopsUpBeforeAnythingStarts(@TempDir Path home) throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)); // as another platform's service
            Map<String, String> env = new LinkedHashMap<>(ScriptedPlatform.environment(home));
            env.put("COMMITCAST_CDC_PORT", String.valueOf(taken.getLocalPort()));
            ScriptedPlatform.Result up = ScriptedPlatform.commitcast(env, List.of("up", "--detach"));
            assertEquals(1, up.exit(), up.output());
            assertTrue(up.output().contains("port " + taken.getLocalPort() + " of cdc-connector is in use (choose "
                    + "another with --cdc-port or COMMITCAST_CDC_PORT)"), up.output());
            assertFalse(Files.exists(home.resolve("stack")), "the dev stack was started");
            assertFalse(Files.exists(home.resolve("logs").resolve("supervisor.log")), "a supervisor was started");
        }
    }

    @Test
    void badFlagsAreRejectedWithUsage() {
        ScriptedPlatform.Result result = ScriptedPlatform.commitcast(ScriptedPlatform.environment(HOME),
                List.of("up", "--no-such-flag"));
        assertEquals(2, result.exit());
        assertTrue(result.output().contains("Unknown option: '--no-such-flag'"), result.output());
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** /metrics of every api-service, then the invalidator, then the cdc-connector. */
    private static List<Scrape> scrapeAll(ScriptedPlatform platform) throws Exception {
        List<URI> services = new ArrayList<>(platform.apiUrls());
        services.add(platform.invalidatorUrl());
        services.add(platform.cdcUrl());
        List<Scrape> scrapes = new ArrayList<>();
        for (URI service : services) {
            HttpResponse<String> metrics = get(URI.create(service + "/metrics"));
            assertEquals(200, metrics.statusCode(), service + "/metrics");
            scrapes.add(Scrape.parse(metrics.body()));
        }
        return scrapes;
    }

    private static void assertBetween(double low, JsonNode value, double high, String what) {
        assertNotNull(value, what);
        assertTrue(value.isNumber(), what + ": status shows " + value + ", /metrics " + low + ".." + high);
        assertTrue(value.asDouble() >= low && value.asDouble() <= high,
                what + ": status shows " + value + ", /metrics " + low + ".." + high);
    }

    /**
     * The samples of one Prometheus text exposition, parsed here independently of the cli's own parser: lines
     * {@code name{label="value",...} number}.
     */
    private record Scrape(List<Sample> samples) {
        private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

        record Sample(String name, Map<String, String> labels, double value) {
        }

        static Scrape parse(String text) {
            List<Sample> samples = new ArrayList<>();
            for (String line : text.split("\n")) {
                Matcher matcher = LINE.matcher(line.strip());
                if (line.startsWith("#") || !matcher.matches()) {
                    continue;
                }
                Map<String, String> labels = new HashMap<>();
                Matcher label = LABEL.matcher(matcher.group(2) == null ? "" : matcher.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
                String value = matcher.group(3);
                samples.add(new Sample(matcher.group(1), labels, switch (value) {
                    case "+Inf" -> Double.POSITIVE_INFINITY;
                    case "-Inf" -> Double.NEGATIVE_INFINITY;
                    default -> Double.parseDouble(value);
                }));
            }
            return new Scrape(samples);
        }

        /** The sum over the samples of {@code name} whose labels include the given name/value pairs. */
        double sum(String name, String... labelPairs) {
            double sum = 0;
            for (Sample sample : samples) {
                boolean matches = sample.name().equals(name);
                for (int i = 0; matches && i < labelPairs.length; i += 2) {
                    matches = labelPairs[i + 1].equals(sample.labels().get(labelPairs[i]));
                }
                sum += matches ? sample.value() : 0;
            }
            return sum;
        }

        /** {@code value1-value2} of the given labels, for every sample of {@code name}. */
        Set<String> labelValues(String name, String first, String second) {
            Set<String> values = new TreeSet<>();
            samples.stream().filter(s -> s.name().equals(name))
                    .forEach(s -> values.add(s.labels().get(first) + "-" + s.labels().get(second)));
            return values;
        }
    }
}
