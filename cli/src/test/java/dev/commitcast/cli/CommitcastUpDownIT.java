package dev.commitcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptance check, through the real script: {@code ./commitcast up --detach && eval "$(./commitcast
 * env)" && psql "$COMMITCAST_PG_URL" -c 'select count(*) from users' && ./commitcast down} works and leaves no
 * process running. On the running platform, the operator commands (status, warm, record, replay, flush) find every
 * endpoint from its state, and {@code --with-prometheus} (when Debian's prometheus is installed) scrapes it.
 */
class CommitcastUpDownIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path HOME = Path.of("target", "it-home").toAbsolutePath();

    @AfterAll
    static void downEvenWhenATestFailed() throws Exception {
        run(List.of("down"));
    }

    @Test
    void upDetachEnvPsqlDownLeavesNoProcess() throws Exception {
        List<String> ports = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ports.add(String.valueOf(freePort()));
        }
        boolean prometheus = PrometheusProcess.locate().isPresent();
        List<String> upArgs = new ArrayList<>(List.of("up", "--detach", "--orgs", "3", "--users-per-org", "7",
                "--api-ports", ports.get(0) + "," + ports.get(1), "--cdc-port", ports.get(2),
                "--invalidator-port", ports.get(3)));
        if (prometheus) {
            upArgs.add("--with-prometheus");
        }
        Result up = run(upArgs);
        assertEquals(0, up.exit(), up.output());

        Result env = run(List.of("env"));
        assertEquals(0, env.exit(), env.output());
        Map<String, String> exports = parseExports(env.output());
        assertTrue(exports.get("COMMITCAST_PG_URL").startsWith("postgresql://"), exports.toString());
        assertTrue(exports.containsKey("COMMITCAST_REDIS_URL") && exports.containsKey("COMMITCAST_KAFKA_BOOTSTRAP"));

        Process psql = new ProcessBuilder("psql", exports.get("COMMITCAST_PG_URL"), "-At", "-c",
                "select count(*) from users").redirectErrorStream(true).start();
        String count = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, psql.waitFor());
        assertEquals("21", count);

        operatorCommandsWork();
        if (prometheus) {
            prometheusScrapesThePlatform(exports.get("COMMITCAST_PROMETHEUS_URL"));
        }

        StackState state = StackState.read(HOME).orElseThrow();
        List<ProcessRecord> processes = new ArrayList<>(ProcessRecord.parse(state.get(StackState.CHILDREN)));
        processes.add(new ProcessRecord(state.pid(), 0));
        assertTrue(processes.size() >= 4, "supervisor, Postgres, Redis, Kafka at least: " + processes);

        Result down = run(List.of("down"));
        assertEquals(0, down.exit(), down.output());
        for (ProcessRecord process : processes) {
            assertFalse(process.live().isPresent(), "still running after down: " + process);
        }
        assertFalse(Files.exists(HOME.resolve(StackState.FILE)), "down removes the state file");
        Result envAfter = run(List.of("env"));
        assertEquals(1, envAfter.exit());
        assertTrue(envAfter.output().contains("no running platform"), envAfter.output());
    }

    /** status, warm, record, replay and flush against the running platform, endpoints from its state only. */
    private static void operatorCommandsWork() throws Exception {
        // Right after start a service may report DOWN for a moment, and the invalidator may not have its partitions
        // assigned yet: poll until both settle, with a deadline.
        Result status = null;
        JsonNode snapshot = null;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            status = run(List.of("status", "--json"));
            snapshot = new ObjectMapper().readTree(status.output().substring(status.output().indexOf('{')));
            if (status.exit() == 0 && !snapshot.get("consumerLag").isEmpty()) {
                break;
            }
        }
        assertEquals(0, status.exit(), status.output());
        assertEquals(List.of("api-service-1", "api-service-2", "invalidator", "cdc-connector"),
                snapshot.get("services").findValuesAsText("name"));
        assertEquals(List.of("UP", "UP", "UP", "UP"), snapshot.get("services").findValuesAsText("status"));
        assertTrue(snapshot.get("consumerLag").size() > 0, "the invalidator reports its partitions: " + snapshot);
        assertEquals("commitcast.dlq", snapshot.get("dlq").get("topic").asText());

        Result warm = run(List.of("warm", "--org", "1"));
        assertEquals(0, warm.exit(), warm.output());
        // settings, roles, 20 roles' permissions, users: 23 requests per instance, each answered by some tier
        assertTrue(warm.output().matches("(?s).*total: MISS \\d+  L2 \\d+  L1 \\d+  BYPASS \\d+  \\(404: 0, errors: 0\\).*"),
                warm.output());
        assertTrue(warm.output().contains(" 23 requests in "), warm.output());

        Result screen = run(List.of("status"));
        assertEquals(0, screen.exit(), screen.output());
        assertTrue(screen.output().contains("HEALTHY") && screen.output().contains("Cache hit rate"), screen.output());

        Path recorded = HOME.resolve("recorded.jsonl");
        Files.deleteIfExists(recorded);
        Result record = run(List.of("record", "--out", recorded.toString(), "--for", "3s"));
        assertEquals(0, record.exit(), record.output());
        assertTrue(record.output().matches("(?s).*recording \\d+ partitions of \\d+ topics.*wrote \\d+ records.*"),
                record.output());
        assertFalse(record.output().contains("ConsumerConfig values"), "client logs stay quiet: " + record.output());
        Result replay = run(List.of("replay", "--file", recorded.toString(), "--dry-run"));
        assertEquals(0, replay.exit(), replay.output());
        assertTrue(replay.output().contains("nothing was changed"), replay.output());

        Result flush = run(List.of("flush", "--namespace", "org=1", "--yes"));
        assertEquals(0, flush.exit(), flush.output());
        assertTrue(flush.output().contains("flushed namespace org=1"), flush.output());
    }

    private static void prometheusScrapesThePlatform(String url) throws Exception {
        assertTrue(url != null && url.startsWith("http://127.0.0.1:"), "COMMITCAST_PROMETHEUS_URL: " + url);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> targets = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/targets")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, targets.statusCode(), targets.body());
        for (String job : List.of("commitcast-api", "commitcast-invalidator", "commitcast-cdc")) {
            assertTrue(targets.body().contains("\"job\":\"" + job + "\""), job + " in " + targets.body());
        }
        HttpResponse<String> rules = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/rules")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(rules.body().contains("\"type\":\"alerting\""), "the compose alert rules are loaded: "
                + rules.body());
    }

    @Test
    void badFlagsAreRejectedWithUsage() throws Exception {
        Result result = run(List.of("up", "--no-such-flag"));
        assertEquals(2, result.exit());
        assertTrue(result.output().contains("Unknown option: '--no-such-flag'"), result.output());
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("commitcast").toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("COMMITCAST_HOME", HOME.toString());
        env.put("COMMITCAST_SKIP_BUILD", "1");
        env.keySet().removeIf(key -> key.startsWith("COMMITCAST_") && !key.equals("COMMITCAST_HOME")
                && !key.equals("COMMITCAST_SKIP_BUILD"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), output);
    }

    private static Map<String, String> parseExports(String output) {
        Map<String, String> exports = new HashMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("export ")) {
                int eq = line.indexOf('=');
                String value = line.substring(eq + 1);
                exports.put(line.substring("export ".length(), eq), value.substring(1, value.length() - 1));
            }
        }
        return exports;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
