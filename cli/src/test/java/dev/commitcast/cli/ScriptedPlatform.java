package dev.commitcast.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The platform as a user runs it, for integration tests of this and other modules (published in the cli test-jar):
 * the real {@code ./commitcast} script with its own {@code COMMITCAST_HOME}, the services on free ports (through the
 * launcher's {@code COMMITCAST_*_PORT(S)} environment defaults, so commands need no port flags), and no inherited
 * {@code COMMITCAST_*} endpoint variables. The modules must be built ({@code COMMITCAST_SKIP_BUILD}); in the reactor
 * a test-scoped dependency on them orders that.
 *
 * <p>{@link #up} starts a detached platform and reads {@code ./commitcast env}; {@link #close} runs {@code down}.
 */
public final class ScriptedPlatform implements AutoCloseable {
    /** The repository root: tests run in their module's directory. */
    public static final Path ROOT = Path.of(System.getProperty("commitcast.repo.root", "..")).toAbsolutePath()
            .normalize();
    private static final long TIMEOUT_MINUTES = 5;

    /** What a command printed (stdout and stderr interleaved) and its exit code. */
    public record Result(int exit, String output) {
    }

    private final Path home;
    private final Map<String, String> environment;
    private final Map<String, String> exports;

    private ScriptedPlatform(Path home, Map<String, String> environment, Map<String, String> exports) {
        this.home = home;
        this.environment = environment;
        this.exports = exports;
    }

    /**
     * The environment a command runs with: this JVM's, minus every {@code COMMITCAST_*} variable, plus
     * {@code COMMITCAST_HOME}, {@code COMMITCAST_SKIP_BUILD} and free ports for two api-service instances, the
     * cdc-connector, the invalidator and Prometheus.
     */
    public static Map<String, String> environment(Path home) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("COMMITCAST_HOME", home.toAbsolutePath().toString());
        env.put("COMMITCAST_SKIP_BUILD", "1");
        // Every test home is new, so every run would be a training run of the start-up class cache (slower start,
        // a down that writes ~90 MB per service): the tests measure the platform, AotCacheTest the cache's options.
        env.put("COMMITCAST_AOT", "off");
        List<Integer> ports = freePorts(5);
        env.put("COMMITCAST_API_PORTS", ports.get(0) + "," + ports.get(1));
        env.put("COMMITCAST_CDC_PORT", String.valueOf(ports.get(2)));
        env.put("COMMITCAST_INVALIDATOR_PORT", String.valueOf(ports.get(3)));
        env.put("COMMITCAST_PROMETHEUS_PORT", String.valueOf(ports.get(4)));
        return env;
    }

    /** Runs {@code ./commitcast ARGS} in the repository root. */
    public static Result commitcast(Map<String, String> environment, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("commitcast").toString());
        command.addAll(args);
        return run(command, environment);
    }

    /** Runs a bash script ({@code bash -c}) in the repository root. */
    public static Result bash(Map<String, String> environment, String script) {
        return run(List.of("bash", "-c", script), environment);
    }

    /** {@code ./commitcast up --detach ARGS} with a fresh environment for {@code home}; fails if it fails. */
    public static ScriptedPlatform up(Path home, String... args) {
        Map<String, String> environment = environment(home);
        List<String> upArgs = new ArrayList<>(List.of("up", "--detach"));
        upArgs.addAll(Arrays.asList(args));
        Result up = commitcast(environment, upArgs);
        if (up.exit() != 0) {
            commitcast(environment, List.of("down"));
            throw new AssertionError("./commitcast " + String.join(" ", upArgs) + " exited " + up.exit() + ":\n"
                    + up.output());
        }
        Result env = commitcast(environment, List.of("env"));
        if (env.exit() != 0) {
            throw new AssertionError("./commitcast env exited " + env.exit() + ":\n" + env.output());
        }
        return new ScriptedPlatform(home, environment, parseExports(env.output()));
    }

    public Path home() {
        return home;
    }

    /** The variables {@code ./commitcast env} exports. */
    public Map<String, String> exports() {
        return exports;
    }

    /** One exported variable; fails when {@code ./commitcast env} did not export it. */
    public String export(String name) {
        String value = exports.get(name);
        if (value == null) {
            throw new AssertionError("./commitcast env exports no " + name + ": " + exports);
        }
        return value;
    }

    public List<URI> apiUrls() {
        return Arrays.stream(export("COMMITCAST_API_URLS").split(",")).map(URI::create).toList();
    }

    public URI invalidatorUrl() {
        return URI.create(export("COMMITCAST_INVALIDATOR_URL"));
    }

    public URI cdcUrl() {
        return URI.create(export("COMMITCAST_CDC_URL"));
    }

    /** Runs one SQL statement (its own transaction) with {@code psql} on the platform's database; returns the output. */
    public String psql(String sql) {
        Map<String, String> withPassword = new java.util.HashMap<>(environment);
        withPassword.put("PGPASSWORD", export("PGPASSWORD"));
        Result result = run(List.of("psql", export("COMMITCAST_PG_URL"), "-At", "-v", "ON_ERROR_STOP=1", "-c", sql),
                withPassword);
        if (result.exit() != 0) {
            throw new AssertionError("psql exited " + result.exit() + " on " + sql + ":\n" + result.output());
        }
        return result.output().strip();
    }

    /** {@code ./commitcast ARGS} against this platform. */
    public Result commitcast(String... args) {
        return commitcast(environment, List.of(args));
    }

    /** {@code ./commitcast down}; idempotent. */
    @Override
    public void close() {
        commitcast(environment, List.of("down"));
    }

    /** {@code export NAME='value'} lines, as {@code ./commitcast env} prints them. */
    public static Map<String, String> parseExports(String output) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("export ")) {
                int eq = line.indexOf('=');
                String value = line.substring(eq + 1);
                if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                    value = value.substring(1, value.length() - 1);
                }
                parsed.put(line.substring("export ".length(), eq), value);
            }
        }
        return parsed;
    }

    private static Result run(List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("COMMITCAST_"));
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            // Read while it runs (a full pipe would block it); a child that outlives it (a detached supervisor)
            // does not inherit this pipe: the launcher redirects the supervisor's output to its log.
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT_MINUTES
                        + " minutes");
            }
            return new Result(process.exitValue(), output.get(30, TimeUnit.SECONDS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("reading the output of " + String.join(" ", command), e);
        }
    }

    /** Distinct free ports: all sockets are held open until every port is picked. */
    private static List<Integer> freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // only a probe
                }
            }
        }
    }
}
