package dev.commitcast.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.commitcast.infra.support.Repo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * infra/docker/healthcheck, the containers' health check (bash only, no curl), run against a local HTTP server that
 * answers {@code /health} with a chosen status.
 */
class HealthcheckScriptIT {

    private static final Path SCRIPT = Repo.path("infra/docker/healthcheck");

    private final AtomicInteger status = new AtomicInteger(200);
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", exchange -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void isExecutableAndPassesOnlyOnHttp200() throws Exception {
        assertTrue(Files.isExecutable(SCRIPT), SCRIPT + " must be executable (the image copies it with --chmod too)");
        int port = server.getAddress().getPort();
        assertEquals(0, run(String.valueOf(port)), "200 from /health");
        status.set(503);
        assertEquals(1, run(String.valueOf(port)), "503 (a DOWN health indicator)");
    }

    @Test
    void readsThePortFromMicronautServerPortAndFailsWhenNothingListens() throws Exception {
        int port = server.getAddress().getPort();
        ProcessBuilder fromEnvironment = new ProcessBuilder("bash", SCRIPT.toString());
        fromEnvironment.environment().put("MICRONAUT_SERVER_PORT", String.valueOf(port));
        assertEquals(0, exitCode(fromEnvironment));

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        assertTrue(run(String.valueOf(closedPort)) != 0, "no server on the port");
    }

    private static int run(String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString());
        pb.command().addAll(java.util.List.of(args));
        return exitCode(pb);
    }

    private static int exitCode(ProcessBuilder pb) throws Exception {
        Process process = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "healthcheck did not finish within 20 s");
        return process.exitValue();
    }
}
