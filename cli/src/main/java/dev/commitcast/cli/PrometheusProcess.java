package dev.commitcast.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Prometheus for {@code up --with-prometheus}: Debian's {@code prometheus} binary as a child of the supervisor,
 * scraping every service with {@code infra/prometheus/prometheus-local.yml.template} (filled in and written to
 * {@code <home>/prometheus/prometheus.yml}) and evaluating the compose alert rules
 * ({@code infra/compose/prometheus/rules}), its data under {@code <home>/prometheus/data}, listening on loopback.
 */
final class PrometheusProcess {
    static final String TEMPLATE = "infra/prometheus/prometheus-local.yml.template";
    static final String RULES_DIR = "infra/compose/prometheus/rules";
    static final String MISSING = "--with-prometheus: 'prometheus' is not on PATH; install it with: "
            + "apt-get install prometheus";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)}");
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Process process;
    private final URI url;
    private final Path log;

    private PrometheusProcess(Process process, URI url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** The {@code prometheus} executable on PATH, if any. */
    static Optional<Path> locate() {
        return locate(System.getenv().getOrDefault("PATH", ""));
    }

    /** The {@code prometheus} executable in one of the directories of a PATH-style list, if any. */
    static Optional<Path> locate(String path) {
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                Path candidate = Path.of(dir, "prometheus");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** A free loopback port, for {@code --prometheus-port 0}. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }

    /**
     * Fills in the template's {@code ${NAME}} placeholders, envsubst style.
     *
     * @throws IllegalStateException naming a placeholder that has no value
     */
    static String render(String template, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException(TEMPLATE + ": no value for ${" + matcher.group(1) + "}");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** The template's values for these services: comma-separated {@code host:port} lists and the rules directory. */
    static Map<String, String> values(Path root, List<URI> apis, List<URI> invalidators, URI cdc) {
        return Map.of(
                "COMMITCAST_API_TARGETS", targets(apis),
                "COMMITCAST_INVALIDATOR_TARGETS", targets(invalidators),
                "COMMITCAST_CDC_TARGETS", targets(cdc == null ? List.of() : List.of(cdc)),
                "COMMITCAST_RULES_DIR", root.resolve(RULES_DIR).toAbsolutePath().normalize().toString());
    }

    private static String targets(List<URI> urls) {
        return urls.stream().map(u -> u.getHost() + ":" + u.getPort()).collect(Collectors.joining(","));
    }

    /** Writes the configuration and starts Prometheus; returns at once (see {@link #awaitReady}). */
    static PrometheusProcess start(Path executable, Path root, Path home, int port, Map<String, String> values) {
        Path dir = home.resolve("prometheus");
        Path logs = home.resolve("logs");
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(logs);
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, render(Files.readString(root.resolve(TEMPLATE)), values));
            Path log = logs.resolve("prometheus.log");
            Process process = new ProcessBuilder(executable.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            return new PrometheusProcess(process, URI.create("http://127.0.0.1:" + port), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Prometheus (" + executable + "): " + e.getMessage(), e);
        }
    }

    URI url() {
        return url;
    }

    /** Waits until {@code GET /-/ready} answers 200; fails with the log's tail when it exits or times out. */
    void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(url.resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + "; log " + log
                        + ":\n" + tail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("prometheus was not ready at " + url + " within " + timeout + "; log " + log
                + ":\n" + tail());
    }

    /** SIGTERM (Prometheus flushes its head block), then SIGKILL after a grace period. */
    void stop() {
        ChildProcesses.stop(process, STOP_GRACE);
    }

    private String tail() {
        return ChildProcesses.tail(log, 20);
    }
}
