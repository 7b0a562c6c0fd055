package dev.commitcast.devstack.internal;

import dev.commitcast.devstack.DevStack;
import dev.commitcast.devstack.DevStackException;
import dev.commitcast.devstack.DevStackOptions;
import dev.commitcast.devstack.KafkaEndpoint;
import dev.commitcast.devstack.PostgresEndpoint;
import dev.commitcast.devstack.RedisEndpoint;
import dev.commitcast.devstack.ServerKind;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running servers of one stack: starts the selected ones in parallel, stops them all in parallel, and owns the
 * work directory, {@code stack.pids} and the orphan reaper. Not thread-safe by itself; {@code DevStack} guards it.
 */
public final class StackRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(StackRuntime.class);

    private final Path workDir;
    private final boolean temporaryWorkDir;
    private final PidRegistry pids;
    private final Map<ServerKind, ProvidedServer<?>> servers = Collections.synchronizedMap(new EnumMap<>(ServerKind.class));
    private final Map<ServerKind, Duration> startDurations = Collections.synchronizedMap(new EnumMap<>(ServerKind.class));
    /** How long each ready hook ran: part of the stack's start-up, not of its server's. */
    private final Map<ServerKind, Duration> hookDurations = Collections.synchronizedMap(new EnumMap<>(ServerKind.class));
    private volatile OrphanReaper reaper;
    private Duration totalStart = Duration.ZERO;

    private StackRuntime(Path workDir, boolean temporaryWorkDir) {
        this.workDir = workDir;
        this.temporaryWorkDir = temporaryWorkDir;
        this.pids = new PidRegistry(workDir, this::startReaper);
    }

    public static StackRuntime start(DevStackOptions options) {
        return start(options, DevStack.ReadyHooks.NONE);
    }

    public static StackRuntime start(DevStackOptions options, DevStack.ReadyHooks hooks) {
        boolean temporary = options.workDir().isEmpty();
        StackRuntime runtime = new StackRuntime(prepareWorkDir(options), temporary);
        runtime.startServers(new StackContext(options, runtime.workDir, runtime.pids), hooks);
        return runtime;
    }

    private static Path prepareWorkDir(DevStackOptions options) {
        try {
            if (options.workDir().isPresent()) {
                return Files.createDirectories(options.workDir().get().toAbsolutePath());
            }
            Path dir = Files.createTempDirectory("commitcast-devstack-");
            // Traversable by others: when this JVM is root, Postgres runs as the postgres OS user inside it.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new DevStackException("Could not create the dev stack work directory "
                    + options.workDir().map(Path::toString).orElse("(temporary)") + ": " + e, e);
        }
    }

    private void startServers(StackContext ctx, DevStack.ReadyHooks hooks) {
        ServerSelector selector = new ServerSelector(ctx);
        Map<ServerKind, Supplier<ProvidedServer<?>>> starters = new EnumMap<>(ServerKind.class);
        starters.put(ServerKind.POSTGRES, selector::postgres);
        starters.put(ServerKind.REDIS, selector::redis);
        starters.put(ServerKind.KAFKA, selector::kafka);
        long t0 = System.nanoTime();
        List<Throwable> failures = new ArrayList<>();
        try (ExecutorService executor = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().name("devstack-start-", 0).daemon(true).factory())) {
            List<Future<?>> futures = new ArrayList<>();
            for (ServerKind kind : ServerKind.values()) {
                if (ctx.options().wants(kind)) {
                    futures.add(executor.submit(() -> {
                        long started = System.nanoTime();
                        ProvidedServer<?> server = starters.get(kind).get();
                        servers.put(kind, server);
                        startDurations.put(kind, Duration.ofNanos(System.nanoTime() - started));
                        long hookStarted = System.nanoTime();
                        runHook(kind, server, hooks);
                        hookDurations.put(kind, Duration.ofNanos(System.nanoTime() - hookStarted));
                    }));
                }
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.add(e);
                }
            }
        }
        totalStart = Duration.ofNanos(System.nanoTime() - t0);
        if (!failures.isEmpty()) {
            stopAll();
            RuntimeException first = failures.getFirst() instanceof RuntimeException re
                    ? re : new DevStackException("Dev stack start failed: " + failures.getFirst(), failures.getFirst());
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
        LOG.info("Dev stack ready in {} ms{} in {}: {}", totalStart.toMillis(), describeHooks(), workDir, describe());
    }

    /** ", including ready hooks: Postgres 4123 ms" for the hooks that took a millisecond or more; else empty. */
    private String describeHooks() {
        List<String> slow = new ArrayList<>();
        synchronized (hookDurations) {
            hookDurations.forEach((kind, took) -> {
                if (took.toMillis() > 0) {
                    slow.add(kind.displayName() + " " + took.toMillis() + " ms");
                }
            });
        }
        return slow.isEmpty() ? "" : ", including ready hooks: " + String.join(", ", slow);
    }

    private static void runHook(ServerKind kind, ProvidedServer<?> server, DevStack.ReadyHooks hooks) {
        try {
            switch (kind) {
                case POSTGRES -> hooks.postgresReady((PostgresEndpoint) server.endpoint());
                case REDIS -> hooks.redisReady((RedisEndpoint) server.endpoint());
                case KAFKA -> hooks.kafkaReady((KafkaEndpoint) server.endpoint());
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new DevStackException(kind.displayName() + " started, but what was to run once it was ready failed: "
                    + e.getMessage(), e);
        }
    }

    private void startReaper() {
        reaper = OrphanReaper.start(pids.file());
    }

    public String describe() {
        StringBuilder sb = new StringBuilder();
        synchronized (servers) {
            servers.forEach((kind, server) -> sb.append(sb.isEmpty() ? "" : ", ").append(kind.displayName())
                    .append(" ").append(server.endpoint()).append(" [").append(server.source()).append("]"));
        }
        return sb.toString();
    }

    public Path workDir() {
        return workDir;
    }

    public Path pidFile() {
        return pids.file();
    }

    public Map<ServerKind, Duration> startDurations() {
        return Map.copyOf(startDurations);
    }

    public Duration totalStartDuration() {
        return totalStart;
    }

    public ProvidedServer<?> server(ServerKind kind) {
        ProvidedServer<?> server = servers.get(kind);
        if (server == null) {
            throw new IllegalStateException(kind.displayName() + " is not part of this dev stack: add ServerKind." + kind
                    + " to DevStackOptions.servers");
        }
        return server;
    }

    @SuppressWarnings("unchecked")
    public ProvidedServer<PostgresEndpoint> postgres() {
        return (ProvidedServer<PostgresEndpoint>) server(ServerKind.POSTGRES);
    }

    @SuppressWarnings("unchecked")
    public ProvidedServer<RedisEndpoint> redis() {
        return (ProvidedServer<RedisEndpoint>) server(ServerKind.REDIS);
    }

    @SuppressWarnings("unchecked")
    public ProvidedServer<KafkaEndpoint> kafka() {
        return (ProvidedServer<KafkaEndpoint>) server(ServerKind.KAFKA);
    }

    /** Stops every server (in parallel), disarms the reaper and deletes a temporary work directory. */
    public void close() {
        boolean clean = stopAll();
        if (clean && temporaryWorkDir) {
            deleteRecursively(workDir);
        }
    }

    private boolean stopAll() {
        List<ProvidedServer<?>> running;
        synchronized (servers) {
            running = List.copyOf(servers.values());
        }
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService executor = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().name("devstack-stop-", 0).daemon(true).factory())) {
            for (ProvidedServer<?> server : running) {
                executor.submit(() -> {
                    try {
                        server.close();
                    } catch (RuntimeException e) {
                        LOG.error("Could not stop {}: {}", server.kind().displayName(), e.toString(), e);
                        failures.add(e);
                    }
                });
            }
        }
        servers.clear();
        OrphanReaper r = reaper;
        if (r != null) {
            if (failures.isEmpty() && pids.snapshot().isEmpty()) {
                r.disarm();
            } else {
                LOG.warn("Some dev stack processes may still run ({}); see {}", pids.snapshot(), pids.file());
            }
        }
        return failures.isEmpty();
    }

    private static void deleteRecursively(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("Could not delete the dev stack work directory {}: {}", dir, e.toString());
        }
    }
}
