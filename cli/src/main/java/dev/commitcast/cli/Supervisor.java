package dev.commitcast.cli;

import dev.commitcast.cli.platform.RulesOptions;
import dev.commitcast.cli.platform.ServiceKind;
import dev.commitcast.core.Rules;
import dev.commitcast.devstack.DevStack;
import dev.commitcast.devstack.DevStackOptions;
import dev.commitcast.devstack.PostgresEndpoint;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Runs the local platform in this JVM until it is stopped (Ctrl-C or SIGTERM from {@code down}): starts the dev
 * stack (preparing the {@link DemoDatabase} while Kafka starts), starts the services, waits until they are ready
 * ({@link Readiness}), and keeps {@code state.properties} current so {@code env} and {@code down} can find everything.
 * A shutdown hook stops it all and removes the state file.
 */
final class Supervisor {
    /** The demo's rules file, relative to the repository root. */
    static final String DEMO_RULES = "examples/orgs-demo/rules.yml";

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    /** The repository root, where the services' build output is; the script sets it. */
    static final String ROOT_PROPERTY = "commitcast.root";
    private static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(90);

    private final Path home;
    private final PlatformOptions options;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile DevStack stack;
    private final List<ServiceProcess> services = new CopyOnWriteArrayList<>();
    private volatile PrometheusProcess prometheus;
    private volatile Watchdog<ServiceProcess> watchdog;
    /** The state file's values once ready; updated by the watchdog. Guarded by itself. */
    private final Map<String, String> readyState = new LinkedHashMap<>();

    Supervisor(Path home, PlatformOptions options) {
        this.home = home;
        this.options = options;
    }

    int runUntilStopped() throws InterruptedException {
        Map<String, String> state = new LinkedHashMap<>();
        state.put(StackState.PID, String.valueOf(ProcessHandle.current().pid()));
        state.put(StackState.STATUS, StackState.STARTING);
        new StackState(state).write(home);
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "commitcast-shutdown"));
        try {
            start(state);
        } catch (RuntimeException e) {
            new StackState(state).with(StackState.STATUS, StackState.FAILED)
                    .with(StackState.ERROR, String.valueOf(e.getMessage())).write(home);
            LOG.error("failed to start the platform; stopping what was started", e);
            stop();
            return 1;
        }
        System.out.println("Commitcast is up " + sinceStart() + ". Press Ctrl-C to stop.");
        stopped.await();
        return 0;
    }

    private void start(Map<String, String> state) {
        // The platform `up` runs is the demo: its migrations, its data and its rules file, which every service loads.
        Path rules = root().resolve(DEMO_RULES);
        Rules loaded = Rules.load(rules); // an invalid file stops `up` here, naming file and line
        state.put(RulesOptions.ENV, rules.toString());
        Path stackDir = home.resolve("stack");
        deleteRecursively(stackDir);
        DevStackOptions stackOptions = DevStackOptions.builder().workDir(stackDir)
                .kafkaJvmOptions(AotCache.launcherJvmArgs(home, root(), "kafka")).build();
        // Postgres is ready seconds before Kafka: migrate and load it meanwhile.
        stack = DevStack.start(stackOptions, new DevStack.ReadyHooks() {
            @Override
            public void postgresReady(PostgresEndpoint postgres) throws java.sql.SQLException {
                DemoDatabase.prepare(postgres, options);
            }
        }).closeOnlyExplicitly(); // stop() closes it once the services are stopped
        System.out.println("dev stack ready " + sinceStart());
        PostgresEndpoint pg = stack.postgres();
        String db = pg.database();
        state.put("COMMITCAST_PG_URL", "postgresql://" + pg.user() + "@" + pg.host() + ":" + pg.port() + "/" + db);
        state.put("COMMITCAST_PG_JDBC_URL", pg.jdbcUrl(db));
        state.put("COMMITCAST_PG_USER", pg.user());
        state.put("COMMITCAST_PG_PASSWORD", pg.password());
        state.put("COMMITCAST_REDIS_URL", stack.redis().uri());
        state.put("COMMITCAST_KAFKA_BOOTSTRAP", stack.kafka().bootstrapServers());
        ServiceUrls urls = startServices(state);
        try {
            Readiness.await(services, urls, pg, loaded);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the platform to be ready", e);
        }
        if (options.withPrometheus()) {
            startPrometheus(state, urls);
        }
        state.put(StackState.CHILDREN, ProcessRecord.format(
                ProcessHandle.current().descendants().map(ProcessRecord::of).toList()));
        state.put(StackState.STATUS, StackState.READY);
        new StackState(state).write(home);
        synchronized (readyState) {
            readyState.putAll(state);
        }
        watchdog = new Watchdog<>(services, Watchdog.Policy.DEFAULT, new StateUpdates());
        watchdog.start();
        state.forEach((key, value) -> {
            if (key.startsWith(EnvCommand.ENV_PREFIX) && !key.endsWith("PASSWORD")) {
                System.out.println("  " + key + "=" + value);
            }
        });
    }

    /** Starts every built service as its own JVM, all at once, then waits until each answers /health. */
    private ServiceUrls startServices(Map<String, String> state) {
        Path root = root();
        Path logs = home.resolve("logs");
        Map<String, String> env = new LinkedHashMap<>(state);
        env.keySet().removeIf(key -> !key.startsWith(EnvCommand.ENV_PREFIX));
        if (ServiceProcess.built(root, ServiceKind.CDC_CONNECTOR.module())) {
            Map<String, String> cdcEnv = new LinkedHashMap<>(env);
            cdcEnv.put("COMMITCAST_CDC_DATA_DIR", home.resolve("stack").resolve("cdc").toString());
            services.add(start(root, ServiceKind.CDC_CONNECTOR, 1, options.cdcPort(), cdcEnv, logs));
        }
        if (ServiceProcess.built(root, ServiceKind.INVALIDATOR.module())) {
            // One consumer group: Kafka shares the change topics' partitions among the instances.
            for (int i = 1; i <= options.invalidators(); i++) {
                services.add(start(root, ServiceKind.INVALIDATOR, i,
                        i == 1 ? options.invalidatorPort() : PrometheusProcess.freePort(), env, logs));
            }
        }
        int instance = 0;
        for (int port : options.apiPorts()) {
            services.add(start(root, ServiceKind.API_SERVICE, ++instance, port, env, logs));
        }
        for (ServiceProcess service : services) {
            try {
                service.awaitHealthy(SERVICE_START_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting " + service.name(), e);
            }
            System.out.println(service.name() + " is up at " + service.baseUrl() + " " + sinceStart() + " (log "
                    + service.log() + ")");
        }
        ServiceUrls urls = ServiceUrls.of(services);
        urls.writeTo(state);
        return urls;
    }

    /** Instance {@code n} of a kind; the first instance of each kind trains the module's class cache. */
    private ServiceProcess start(Path root, ServiceKind kind, int n, int port, Map<String, String> env, Path logs) {
        return ServiceProcess.start(root, kind.module(), kind.instanceName(n), kind.mainClass(), port, env,
                jvmArgs(root, kind.module(), n == 1), logs);
    }

    /**
     * A service's JVM options: a bounded heap, a JVM crash report next to the service logs (not in the directory
     * {@code up} was run from), and the module's ahead-of-time class cache ({@link AotCache}).
     */
    private List<String> jvmArgs(Path root, String module, boolean trainCache) {
        List<String> args = new ArrayList<>(List.of("-Xmx256m",
                "-XX:ErrorFile=" + home.resolve("logs").toAbsolutePath().resolve("hs_err_pid%p.log")));
        args.addAll(AotCache.jvmArgs(home, root, module, trainCache));
        return args;
    }

    /** Starts Prometheus scraping every service started above; its URL goes to the state. */
    private void startPrometheus(Map<String, String> state, ServiceUrls urls) {
        Path root = root();
        Path executable = PrometheusProcess.locate()
                .orElseThrow(() -> new IllegalStateException(PrometheusProcess.MISSING));
        int port = options.prometheusPort() == 0 ? PrometheusProcess.freePort() : options.prometheusPort();
        prometheus = PrometheusProcess.start(executable, root, home, port,
                PrometheusProcess.values(root, urls.apis(), urls.invalidators(), urls.cdc()));
        try {
            prometheus.awaitReady(SERVICE_START_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting prometheus", e);
        }
        System.out.println("prometheus is up at " + prometheus.url() + " (log " + home.resolve("logs")
                .resolve("prometheus.log") + ")");
        state.put("COMMITCAST_PROMETHEUS_URL", prometheus.url().toString());
    }

    /** The repository root, where the modules' build output is. */
    static Path root() {
        return Path.of(System.getProperty(ROOT_PROPERTY, ".")).toAbsolutePath().normalize();
    }

    /** "after 12.3 s": the time since this JVM started, for the progress lines of supervisor.log. */
    static String sinceStart() {
        Instant started = ProcessHandle.current().info().startInstant().orElse(Instant.now());
        return String.format("after %.1f s", Duration.between(started, Instant.now()).toMillis() / 1000.0);
    }

    /**
     * Records the watchdog's restarts and give-ups in the state file ({@code service.<name>.restarts},
     * {@code service.<name>.gave-up}), where {@code status} reads them, and the new process ids for {@code down}.
     */
    private final class StateUpdates implements Watchdog.Listener<ServiceProcess> {
        @Override
        public void restarted(ServiceProcess service, int restarts, int exitCode) {
            System.out.println(service.name() + " exited with code " + exitCode + " and was restarted (" + restarts
                    + (restarts == 1 ? " restart" : " restarts") + "; log " + service.log() + ")");
            update(RunningPlatform.SERVICE_PREFIX + service.name() + RunningPlatform.RESTARTS, String.valueOf(restarts));
        }

        @Override
        public void gaveUp(ServiceProcess service, int fastFailures, int exitCode) {
            String why = "exited with code " + exitCode + " " + fastFailures + " times in a row soon after starting;"
                    + " not restarted again (log " + service.log() + ")";
            System.out.println(service.name() + " " + why);
            update(RunningPlatform.SERVICE_PREFIX + service.name() + RunningPlatform.GAVE_UP, why);
        }

        private void update(String key, String value) {
            synchronized (readyState) {
                readyState.put(key, value);
                readyState.put(StackState.CHILDREN, ProcessRecord.format(
                        ProcessHandle.current().descendants().map(ProcessRecord::of).toList()));
                new StackState(readyState).write(home);
            }
        }
    }

    private void stop() {
        try {
            Watchdog<ServiceProcess> keeper = watchdog;
            if (keeper != null) {
                keeper.close(); // first: stopping services is not a crash
            }
            PrometheusProcess running = prometheus;
            if (running != null) {
                running.stop();
            }
            for (ServiceProcess service : services.reversed()) {
                service.stop();
            }
            DevStack runningStack = stack;
            if (runningStack != null) {
                runningStack.close();
            }
            // A failed state stays behind so that a waiting `up --detach` can report the reason.
            StackState.read(home)
                    .filter(s -> s.pid() == ProcessHandle.current().pid())
                    .filter(s -> !StackState.FAILED.equals(s.status()))
                    .ifPresent(s -> StackState.delete(home));
        } finally {
            stopped.countDown();
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete " + path + " from a previous run", e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir, e);
        }
    }
}
