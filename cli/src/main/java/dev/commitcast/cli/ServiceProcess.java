package dev.commitcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Commitcast service (api-service, cdc-connector, invalidator) running as its own JVM, started from its module's
 * build output ({@code target/<module>-<version>.jar} plus {@code target/classpath.txt}), logging to its own file.
 * Used by the launcher and by the end-to-end tests, which run api-service instances as real separate processes.
 */
public final class ServiceProcess implements Watchdog.Restartable<ServiceProcess> {
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How to start it (again). */
    private record Spec(Path root, String module, String name, String mainClass, int port,
                        Map<String, String> environment, List<String> jvmArgs, Path logDir) {
    }

    private final Spec spec;
    private final Process process;
    private final Path log;
    private final URI baseUrl;
    private final Instant startedAt = Instant.now();

    private ServiceProcess(Spec spec, Process process, Path log) {
        this.spec = spec;
        this.process = process;
        this.log = log;
        this.baseUrl = URI.create("http://127.0.0.1:" + spec.port());
    }

    /** Whether the module has been built, i.e. can be started. */
    public static boolean built(Path root, String module) {
        return Files.isRegularFile(root.resolve(module).resolve("target").resolve("classpath.txt"));
    }

    public static ServiceProcess start(Path root, String module, String name, String mainClass, int port,
                                Map<String, String> environment, List<String> jvmArgs, Path logDir) {
        return start(new Spec(root, module, name, mainClass, port, Map.copyOf(environment), List.copyOf(jvmArgs),
                logDir), null);
    }

    /**
     * Starts the same service again (same port, environment and log, appended to after {@code note}), e.g. after
     * it crashed; this object must not be running.
     */
    @Override
    public ServiceProcess restart(String note) {
        if (process.isAlive()) {
            throw new IllegalStateException(name() + " is still running");
        }
        return start(spec, note);
    }

    private static ServiceProcess start(Spec spec, String appendNote) {
        Path root = spec.root();
        String module = spec.module();
        String name = spec.name();
        Path logDir = spec.logDir();
        Path target = root.resolve(module).resolve("target");
        try (var jars = Files.list(target)) {
            Path jar = jars.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-sources.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-tests.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no jar in " + target + ": build with ./mvnw package"));
            String classpath = jar + java.io.File.pathSeparator + Files.readString(target.resolve("classpath.txt")).trim();
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElseThrow());
            command.addAll(spec.jvmArgs());
            command.add("-cp");
            command.add(classpath);
            command.add(spec.mainClass());
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (appendNote == null) {
                builder.redirectOutput(log.toFile());
            } else {
                Files.writeString(log, System.lineSeparator() + "---- " + appendNote + " ----" + System.lineSeparator(),
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            }
            builder.environment().putAll(spec.environment());
            builder.environment().put("MICRONAUT_SERVER_PORT", String.valueOf(spec.port()));
            return new ServiceProcess(spec, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " from " + target, e);
        }
    }

    public String name() {
        return spec.name();
    }

    /** The module it was started from ({@code target/} of that directory). */
    public String module() {
        return spec.module();
    }

    /** When this process was started. */
    public Instant startedAt() {
        return startedAt;
    }

    /** The exit code once it exited, else empty. */
    public Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /** The operating system's process id. */
    public long pid() {
        return process.pid();
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /** Waits until {@code GET /health} answers 200, the process dies, or the timeout passes. */
    public void awaitHealthy(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("/health")).timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name() + " exited with " + process.exitValue() + " during start-up; log "
                        + log + ":\n" + tail());
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name() + " was not healthy at " + baseUrl + "/health within " + timeout
                + "; log " + log + ":\n" + tail());
    }

    /**
     * Waits until this api-service trusts its caches ({@code /health} detail {@code caches: TRUSTED}: the first
     * pipeline watermark arrived within the staleness budget); until then it answers every read from Postgres
     * ({@code X-Cache: BYPASS}). Returns empty once it does, else what it last reported at the deadline.
     */
    public Optional<String> awaitCachesTrusted(Instant deadline) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("/health")).timeout(Duration.ofSeconds(2)).build();
        String last = "no answer from " + baseUrl + "/health";
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            while (true) {
                try {
                    HttpResponse<String> health = http.send(request, HttpResponse.BodyHandlers.ofString());
                    JsonNode freshness = JSON.readTree(health.body()).findValue("cache-freshness");
                    JsonNode caches = freshness == null ? null : freshness.findValue("caches");
                    if (caches != null && "TRUSTED".equals(caches.asText())) {
                        return Optional.empty();
                    }
                    last = "/health " + health.statusCode() + (freshness == null ? "" : ", cache-freshness "
                            + freshness.path("details"));
                } catch (IOException notNow) {
                    last = "/health: " + notNow.getMessage();
                }
                if (!Instant.now().isBefore(deadline)) {
                    return Optional.of(last);
                }
                Thread.sleep(100);
            }
        }
    }

    public Path log() {
        return log;
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGKILL at once, as a crash would: no shutdown hook runs, nothing is flushed or committed. Returns when the
     * process is gone.
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM (Micronaut shuts down gracefully), then SIGKILL after a grace period. */
    public void stop() {
        ChildProcesses.stop(process, STOP_GRACE);
    }

    private String tail() {
        return ChildProcesses.tail(log, 30);
    }
}
