package dev.commitcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10.4: {@code ./commitcast up} restarts a service that dies. The invalidator is killed with SIGKILL; the
 * watchdog starts it again (same port, its log appended to), {@code status} counts the restart, and the platform
 * works again: a SQL change reaches both API instances from trusted caches.
 */
class WatchdogIT {
    private static final Path HOME = Path.of("target", "watchdog-home").toAbsolutePath();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterAll
    static void downEvenWhenATestFailed() {
        ScriptedPlatform.commitcast(ScriptedPlatform.environment(HOME), List.of("down"));
    }

    @Test
    void aServiceKilledWithSigkillIsRestartedAndStatusCountsIt() throws Exception {
        try (ScriptedPlatform platform = ScriptedPlatform.up(HOME, "--orgs", "2", "--users-per-org", "3")) {
            ProcessHandle invalidator = child("dev.commitcast.invalidator.Application");
            invalidator.destroyForcibly();
            invalidator.onExit().get(30, TimeUnit.SECONDS);

            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
                JsonNode service = service(platform, "invalidator");
                return "UP".equals(service.path("status").asText()) && service.path("restarts").asInt() == 1;
            });
            assertTrue(child("dev.commitcast.invalidator.Application").pid() != invalidator.pid(), "a new process");
            String log = Files.readString(platform.home().resolve("logs").resolve("invalidator.log"));
            assertTrue(log.contains("---- restarted by commitcast up at ") && log.contains("after exit code 137"),
                    "the log keeps the crashed run and says why it goes on");
            assertTrue(platform.commitcast("status").output().matches(
                    "(?s).*invalidator\\s+\\S+\\s+UP\\s+\\(restarted 1x\\).*"), "the screen says so");
            assertEquals(0, service(platform, "api-service-1").path("restarts").asInt());

            platform.psql("update users set display_name = 'After The Restart' where id = 1");
            for (var api : platform.apiUrls()) {
                await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                    var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                            .newBuilder(api.resolve("/v1/orgs/1/users/1")).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    return response.body().contains("After The Restart")
                            && !"BYPASS".equals(response.headers().firstValue("X-Cache").orElse(""));
                });
            }
        }
    }

    private static JsonNode service(ScriptedPlatform platform, String name) throws IOException {
        ScriptedPlatform.Result status = platform.commitcast("status", "--json");
        String output = status.output();
        for (JsonNode service : JSON.readTree(output.substring(Math.max(0, output.indexOf('{')))).path("services")) {
            if (name.equals(service.path("name").asText())) {
                return service;
            }
        }
        throw new AssertionError("no service " + name + " in " + output);
    }

    /** The process's command line ({@code /proc/<pid>/cmdline}: Java's {@code Info} may leave it out when long). */
    private static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(process.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException gone) {
            return process.info().commandLine().orElse("");
        }
    }

    /** The supervisor's child running this main class. */
    private static ProcessHandle child(String mainClass) throws IOException {
        Properties state = new Properties();
        try (Reader reader = Files.newBufferedReader(HOME.resolve(StackState.FILE))) {
            state.load(reader);
        }
        long supervisor = Long.parseLong(state.getProperty(StackState.PID));
        return ProcessHandle.of(supervisor).orElseThrow().descendants()
                .filter(p -> commandLine(p).contains(mainClass))
                .findFirst().orElseThrow(() -> new AssertionError("no child runs " + mainClass));
    }
}
