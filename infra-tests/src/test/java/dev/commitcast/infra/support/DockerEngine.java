package dev.commitcast.infra.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Docker engine for a test: by default a private {@code dockerd} this class starts (as root) with its own socket,
 * data root and exec root, so a test never touches a user's engine or their compose projects; or, when
 * {@code COMMITCAST_TEST_DOCKER_HOST} is set, the engine it names. The data root is kept between runs
 * ({@code COMMITCAST_TEST_DOCKER_DATA_ROOT}, default {@code /var/tmp/commitcast-test-docker}) as a cache of images:
 * what is built there is checked against its inputs before reuse (infra/docker/standins/build.sh).
 *
 * <p>Commands get {@code /usr/bin} first on PATH: Debian's docker client (20.10) matches Debian's engine and builds
 * with BuildKit itself, where a newer CLI without its buildx plugin refuses to.
 */
public final class DockerEngine implements AutoCloseable {

    private static final Path RUN_DIR = Path.of("/tmp/commitcast-test-dockerd");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String host;
    private final Process dockerd;

    private DockerEngine(String host, Process dockerd) {
        this.host = host;
        this.dockerd = dockerd;
    }

    /** The engine named by COMMITCAST_TEST_DOCKER_HOST, else a private dockerd started now (logging to {@code log}). */
    public static DockerEngine start(Path log) {
        String given = System.getenv("COMMITCAST_TEST_DOCKER_HOST");
        if (given != null && !given.isBlank()) {
            DockerEngine engine = new DockerEngine(given, null);
            engine.awaitReady("COMMITCAST_TEST_DOCKER_HOST=" + given);
            return engine;
        }
        Path binary = locate("dockerd").orElseThrow(() -> new AssertionError("this test starts its own Docker engine "
                + "and found no dockerd: apt-get install docker.io docker-compose debootstrap (.ci/run does), or set "
                + "COMMITCAST_TEST_DOCKER_HOST to an engine it may use"));
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new AssertionError("starting a private dockerd needs root (running as " + System.getProperty("user.name")
                    + "); or set COMMITCAST_TEST_DOCKER_HOST to an engine this test may use");
        }
        Path socket = RUN_DIR.resolve("docker.sock");
        String host = "unix://" + socket;
        DockerEngine leftover = new DockerEngine(host, null);
        if (Files.exists(socket) && leftover.answers()) {
            // A private engine an earlier, killed run left behind: stop it, so this run owns the one it uses.
            stopByPidFile();
        }
        Path dataRoot = Path.of(Optional.ofNullable(System.getenv("COMMITCAST_TEST_DOCKER_DATA_ROOT"))
                .filter(s -> !s.isBlank()).orElse("/var/tmp/commitcast-test-docker"));
        try {
            Files.createDirectories(RUN_DIR);
            Files.createDirectories(dataRoot);
            Files.createDirectories(log.toAbsolutePath().getParent());
            Files.deleteIfExists(socket);
            Process process = new ProcessBuilder(binary.toString(), "--data-root", dataRoot.toString(),
                    "--exec-root", RUN_DIR.resolve("exec").toString(), "--pidfile", RUN_DIR.resolve("dockerd.pid").toString(),
                    "-H", host)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            DockerEngine engine = new DockerEngine(host, process);
            engine.awaitReady("dockerd (log: " + log + ")");
            return engine;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** DOCKER_HOST for commands that use this engine. */
    public String host() {
        return host;
    }

    /** The environment for docker and docker-compose commands: DOCKER_HOST and PATH with /usr/bin first. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DOCKER_HOST", host);
        env.put("PATH", "/usr/bin:" + System.getenv().getOrDefault("PATH", "/usr/local/bin:/bin"));
        return env;
    }

    /** Runs {@code docker ARGS} against this engine; its output (stdout, then stderr) and exit code. */
    public Shell.Result docker(String... args) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(List.of(args));
        return Shell.run(command, environment(), Duration.ofMinutes(2), null);
    }

    private boolean answers() {
        return docker("info", "--format", "{{.ServerVersion}}").exit() == 0;
    }

    private void awaitReady(String what) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (dockerd != null && !dockerd.isAlive()) {
                throw new AssertionError(what + " exited with " + dockerd.exitValue());
            }
            if (answers()) {
                return;
            }
            sleep(500);
        }
        throw new AssertionError(what + " did not answer `docker info` within " + START_TIMEOUT.toSeconds() + " s");
    }

    @Override
    public void close() {
        if (dockerd == null) {
            return;
        }
        dockerd.destroy(); // SIGTERM: dockerd stops its containers and containerd, and unmounts
        try {
            if (!dockerd.waitFor(60, TimeUnit.SECONDS)) {
                dockerd.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void stopByPidFile() {
        try {
            Path pidFile = RUN_DIR.resolve("dockerd.pid");
            if (!Files.exists(pidFile)) {
                return;
            }
            long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip());
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroy();
                p.onExit().orTimeout(60, TimeUnit.SECONDS).exceptionally(e -> null).join();
            });
        } catch (IOException | NumberFormatException e) {
            throw new AssertionError("could not stop the dockerd an earlier run left at " + RUN_DIR + ": " + e, e);
        }
    }

    private static Optional<Path> locate(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin"));
        return dirs.stream().filter(d -> !d.isBlank()).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
