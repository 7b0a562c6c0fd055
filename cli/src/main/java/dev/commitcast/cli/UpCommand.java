package dev.commitcast.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Starts the platform. In the foreground it supervises until Ctrl-C; with {@code --detach} it starts a supervisor in
 * its own session, waits until that reports ready (or failed), prints the endpoints and returns.
 */
@Command(name = "up", description = "Start the dev stack, apply migrations, load demo data and start the services.")
final class UpCommand implements Callable<Integer> {
    @Option(names = "--detach", description = "Return once everything is ready; stop it later with ./commitcast down.")
    boolean detach;

    @Option(names = "--supervise", hidden = true, description = "Internal: run as the detached supervisor.")
    boolean supervise;

    @Option(names = "--no-demo-data", description = "Do not load demo data.")
    boolean noDemoData;

    @Option(names = "--orgs", defaultValue = "100", description = "Demo data: organisations (default ${DEFAULT-VALUE}).")
    int orgs;

    @Option(names = "--users-per-org", defaultValue = "1000", description = "Demo data: users per organisation (default ${DEFAULT-VALUE}).")
    int usersPerOrg;

    @Option(names = "--api-ports", split = ",", defaultValue = "${env:COMMITCAST_API_PORTS:-8080,8081}",
            description = "Ports of the api-service instances, comma-separated (default ${DEFAULT-VALUE}; "
                    + "environment COMMITCAST_API_PORTS).")
    List<Integer> apiPorts;

    @Option(names = "--cdc-port", defaultValue = "${env:COMMITCAST_CDC_PORT:-8090}",
            description = "cdc-connector HTTP port (default ${DEFAULT-VALUE}; environment COMMITCAST_CDC_PORT).")
    int cdcPort;

    @Option(names = "--invalidator-port", defaultValue = "${env:COMMITCAST_INVALIDATOR_PORT:-8091}",
            description = "invalidator HTTP port (default ${DEFAULT-VALUE}; environment COMMITCAST_INVALIDATOR_PORT).")
    int invalidatorPort;

    @Option(names = "--invalidators", defaultValue = "${env:COMMITCAST_INVALIDATORS:-1}",
            description = "How many invalidator processes to run, one Kafka consumer group sharing the partitions "
                    + "(default ${DEFAULT-VALUE}; environment COMMITCAST_INVALIDATORS). The first listens on "
                    + "--invalidator-port, the others on free ports (./commitcast env: COMMITCAST_INVALIDATOR_URLS).")
    int invalidators;

    @Option(names = "--with-prometheus", description = "Also run Prometheus (Debian's prometheus on PATH) scraping "
            + "every service, with the compose alert rules; its URL is COMMITCAST_PROMETHEUS_URL.")
    boolean withPrometheus;

    @Option(names = "--prometheus-port", defaultValue = "${env:COMMITCAST_PROMETHEUS_PORT:-0}",
            description = "With --with-prometheus: its port (default: a free one; environment "
                    + "COMMITCAST_PROMETHEUS_PORT).")
    int prometheusPort;

    @Option(names = "--timeout", defaultValue = "PT3M", description = "With --detach: how long to wait for ready (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        Path home = CommitcastCli.home();
        Optional<StackState> existing = StackState.read(home);
        if (existing.isPresent() && existing.get().supervisorAlive() && !supervise) {
            throw new IllegalStateException("a platform is already running (supervisor pid " + existing.get().pid()
                    + "); stop it with ./commitcast down");
        }
        PlatformOptions options = new PlatformOptions(!noDemoData, orgs, usersPerOrg, apiPorts, cdcPort,
                invalidatorPort, invalidators, withPrometheus, prometheusPort);
        if (withPrometheus && PrometheusProcess.locate().isEmpty()) {
            throw new IllegalStateException(PrometheusProcess.MISSING);
        }
        if (!supervise) { // the detached supervisor's parent checked them a moment ago
            ServicePorts.requireFree(ServicePorts.of(options));
        }
        if (detach && !supervise) {
            return startDetached(home);
        }
        return new Supervisor(home, options).runUntilStopped();
    }

    private int startDetached(Path home) throws Exception {
        Files.createDirectories(home.resolve("logs"));
        StackState.delete(home);
        Path log = home.resolve("logs").resolve("supervisor.log");
        List<String> command = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid"); // own session: closing the terminal does not hang up the platform
        }
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-D" + CommitcastCli.HOME_PROPERTY + "=" + home);
        command.add("-D" + Supervisor.ROOT_PROPERTY + "=" + System.getProperty(Supervisor.ROOT_PROPERTY, "."));
        // The supervisor orchestrates; its one busy moment, the demo data, is Postgres's work. The C1 compiler alone
        // saves the ~3 s of CPU its C2 compiles took while six JVMs start on the same cores (docs/benchmarks.md).
        command.add("-XX:TieredStopAtLevel=1");
        // supervisor.log: each log line with its time, so a slow start shows which step took the time
        command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        command.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
        command.addAll(AotCache.launcherJvmArgs(home, Supervisor.root(), "supervisor"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CommitcastCli.class.getName());
        command.addAll(List.of("up", "--supervise", "--orgs", String.valueOf(orgs),
                "--users-per-org", String.valueOf(usersPerOrg),
                "--api-ports", apiPorts.stream().map(String::valueOf).collect(Collectors.joining(",")),
                "--cdc-port", String.valueOf(cdcPort), "--invalidator-port", String.valueOf(invalidatorPort),
                "--invalidators", String.valueOf(invalidators)));
        if (noDemoData) {
            command.add("--no-demo-data");
        }
        if (withPrometheus) {
            command.addAll(List.of("--with-prometheus", "--prometheus-port", String.valueOf(prometheusPort)));
        }
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        System.out.println("starting the platform (log: " + log + ") ...");
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Optional<StackState> state = StackState.read(home);
            if (state.isPresent() && StackState.READY.equals(state.get().status())) {
                System.out.println("ready. Endpoints (eval \"$(./commitcast env)\" to export them):");
                new EnvCommand().call();
                return 0;
            }
            if (state.isPresent() && StackState.FAILED.equals(state.get().status())) {
                throw new IllegalStateException("the platform failed to start: " + state.get().get(StackState.ERROR)
                        + " (log: " + log + ")");
            }
            if (!process.isAlive() && !hasSetsidFork(process)) {
                throw new IllegalStateException("the supervisor exited with " + process.exitValue()
                        + " before it was ready; see " + log);
            }
            Thread.sleep(200);
        }
        process.destroy();
        throw new IllegalStateException("the platform was not ready within " + timeout + "; see " + log);
    }

    /** setsid forks when it is a process-group leader; then the launched process outlives it. */
    private static boolean hasSetsidFork(Process process) {
        return process.exitValue() == 0;
    }
}
