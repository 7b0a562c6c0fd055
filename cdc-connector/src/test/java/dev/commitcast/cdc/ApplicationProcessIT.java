package dev.commitcast.cdc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.cdc.testsupport.CdcTestDatabase;
import dev.commitcast.cdc.testsupport.Wait;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged application as {@code ./commitcast} starts it: a separate JVM on {@code target/classpath.txt} (the
 * runtime classpath, without test dependencies), configured by environment variables, stopped by SIGTERM.
 */
class ApplicationProcessIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void runsFromTheRuntimeClasspathServesHealthAndMetricsAndStopsCleanlyOnSigterm() throws Exception {
        Path classpath = Path.of("target", "classpath.txt");
        assertTrue(Files.exists(classpath), "package phase writes " + classpath.toAbsolutePath());
        try (CdcTestDatabase db = CdcTestDatabase.migrated("process")) {
            CdcSettings s = db.settings().build();
            int port = freePort();
            Path log = Files.createTempFile("cdc-connector-process", ".log");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", "target/classes" + java.io.File.pathSeparator + Files.readString(classpath).strip(),
                    Application.class.getName());
            Map<String, String> env = pb.environment();
            env.put("COMMITCAST_PG_JDBC_URL", s.jdbcUrl());
            env.put("COMMITCAST_PG_USER", s.user());
            env.put("COMMITCAST_PG_PASSWORD", s.password());
            env.put("COMMITCAST_KAFKA_BOOTSTRAP", s.kafkaBootstrap());
            env.put("COMMITCAST_CDC_TOPIC_PREFIX", s.topicPrefix());
            env.put("COMMITCAST_CDC_SLOT", s.slotName());
            env.put("COMMITCAST_CDC_DATA_DIR", s.dataDir().toString());
            env.put("COMMITCAST_RULES", s.rules().toString());
            env.put("MICRONAUT_SERVER_PORT", String.valueOf(port));
            Process process = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                Wait.until(() -> "/health 200; log:\n" + read(log), TIMEOUT, () -> status(port, "/health") == 200);
                db.execute("update users set display_name = 'from-process' where id = 1");
                Wait.until(() -> "users update counted in /metrics; log:\n" + read(log), TIMEOUT,
                        () -> body(port, "/metrics").contains("commitcast_cdc_events_total{op=\"u\",slot=\""
                                + s.slotName() + "\",table=\"users\"} 1.0"));
            } finally {
                process.destroy(); // SIGTERM: Micronaut's shutdown hook closes the connector
                assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stopped within 30 s");
            }
            String output = read(log);
            assertTrue(output.contains("Change data capture stopped (slot " + s.slotName()), output);
            assertTrue(Files.size(s.offsetFile()) > 0, "offsets committed on the way down");
        }
    }

    private int status(int port, String path) {
        HttpResponse<String> r = get(port, path);
        return r == null ? -1 : r.statusCode();
    }

    private String body(int port, String path) {
        HttpResponse<String> r = get(port, path);
        return r == null ? "" : r.body();
    }

    private HttpResponse<String> get(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
