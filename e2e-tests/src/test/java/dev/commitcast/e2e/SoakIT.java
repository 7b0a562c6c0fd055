package dev.commitcast.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.cli.ServiceProcess;
import dev.commitcast.core.CacheKey;
import dev.commitcast.devstack.DevStack;
import dev.commitcast.devstack.ServerKind;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10.5: faults under load, with nothing lost. SQL writers of every kind (updates, parent moves, deletes and
 * inserts re-using ids, permission grants and revokes, settings, truncates) and readers on every endpoint of two API
 * instances run while the test kills -9 and restarts the invalidator and the connector (both their own JVMs), cuts the
 * broadcast connections, restarts Redis, restarts Postgres and pauses Kafka, one fault after another. After each fault
 * it measures how long until a new write is served, from trusted caches, by both instances. When the writers stop and
 * the pipeline drained, every endpoint of both instances and every value in Redis must equal Postgres: 0 stale is the
 * only pass.
 *
 * <p>It prints (and writes to {@code target/soak-summary.txt}) faults, reads, writes, the largest staleness a reader
 * saw (a read that returned a user's name after a newer one had committed: how long after) and the recovery time per
 * fault. {@code -Dcommitcast.e2e.soak.seconds} sets the load phase (default 60 s in {@code verify};
 * {@code benchmarks/soak/run.sh} runs longer).
 */
class SoakIT {
    private static final int ORGS = 2;
    private static final int USERS_PER_ORG = 10;
    /** Users 0..4 of each org only get new names, so every read of them can be judged; 5..9 move, go and come back. */
    private static final int TRACKED_PER_ORG = 5;
    private static final int ROLES_PER_ORG = 4;
    private static final int WRITERS = 3;
    private static final int READERS = 4;
    /** Each writer pauses this long after a write: ~100 writes/s in all, a busy OLTP table, not a firehose. */
    private static final long WRITE_PAUSE_MILLIS = 30;
    /** Each reader pauses this long after a read ({@code -Dcommitcast.e2e.soak.read-pause-ms}): 0 saturates 2 cores. */
    private static final long READ_PAUSE_MILLIS = Long.getLong("commitcast.e2e.soak.read-pause-ms", 0);
    private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(90);
    private static final Duration MAX_FAULT_SPACING = Duration.ofSeconds(15);
    private static final Pattern NAME = Pattern.compile("\"displayName\":\"([^\"]*)\"");

    private static Platform platform;
    private static Api truth;
    private static ServiceProcess connector;
    private static ServiceProcess invalidator;

    /** Committed names per tracked user: name -> when its commit returned (epoch nanos of {@link #now()}). */
    private final Map<Long, NavigableMap<Long, String>> versions = new ConcurrentHashMap<>();
    private final Map<String, Long> committedAt = new ConcurrentHashMap<>();
    private final Set<Long> deleted = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong bypassed = new AtomicLong();
    private final AtomicLong readErrors = new AtomicLong();
    private final AtomicLong maxStalenessNanos = new AtomicLong();
    /** Per stale read: {when the read began, its staleness}, both nanos. */
    private final List<long[]> stalenessSamples = Collections.synchronizedList(new ArrayList<>());
    /** Per fault: {injected, recovered}, nanos: reads that begin inside one are "during a fault". */
    private final List<long[]> faultWindows = Collections.synchronizedList(new ArrayList<>());
    private volatile String worstRead = "none";
    private Instant loadStart;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> properties = new HashMap<>(EndToEndIT.LONG_TTLS);
        properties.put("commitcast.staleness.budget", "3s");
        platform = Platform.start("soak", 2, properties);
        truth = platform.addApi("truth", Map.of("commitcast.cache.enabled", "false"));
        // The connector and the invalidator as their own JVMs, so a fault can kill -9 them.
        platform.stopConnector();
        platform.stopInvalidator();
        connector = platform.startConnectorProcess("cdc");
        invalidator = platform.startInvalidatorProcess("invalidator");
    }

    @AfterAll
    static void stop() {
        if (connector != null) {
            connector.stop();
        }
        if (invalidator != null) {
            invalidator.stop();
        }
        platform.close();
    }

    @Test
    void underFaultsAndLoadNothingIsLostAndEveryCacheEndsEqualToPostgres() throws Exception {
        Duration duration = Duration.ofSeconds(Long.getLong("commitcast.e2e.soak.seconds", 60));
        Map<String, CacheKey> hot = CacheComparison.hotPaths(ORGS, USERS_PER_ORG, ROLES_PER_ORG);
        List<String> paths = new ArrayList<>(hot.keySet());
        probe("before the load"); // the pipeline works before anything is broken

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicBoolean reading = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
        List<Future<?>> writers = new ArrayList<>();
        List<Future<?>> readers = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            SplittableRandom random = new SplittableRandom(3_000 + i);
            writers.add(pool.submit(() -> write(random, writing)));
        }
        for (int i = 0; i < READERS; i++) {
            SplittableRandom random = new SplittableRandom(4_000 + i);
            readers.add(pool.submit(() -> read(random, paths, reading)));
        }

        List<Fault> faults = faults();
        loadStart = Instant.now();
        Instant end = loadStart.plus(duration);
        // A fault every 15 s at most (short runs: spread over the run), each after the last one recovered.
        Duration spacing = duration.dividedBy(faults.size() + 1);
        spacing = spacing.compareTo(MAX_FAULT_SPACING) > 0 ? MAX_FAULT_SPACING : spacing;
        List<String> recoveries = new ArrayList<>();
        int injected = 0;
        // Every kind of fault at least once, even if that stretches the load phase of a short run.
        while (Instant.now().isBefore(end) || injected < faults.size()) {
            Thread.sleep(Math.max(1_000, Math.min(spacing.toMillis(), Duration.between(Instant.now(), end).toMillis())));
            Fault fault = faults.get(injected % faults.size());
            long injectedAt = now();
            fault.run();
            injected++;
            Duration recovery = probe("after " + fault.name());
            faultWindows.add(new long[] {injectedAt, now()});
            recoveries.add(fault.name() + " " + recovery.toMillis() + " ms");
        }

        writing.set(false);
        for (Future<?> writer : writers) {
            writer.get(60, TimeUnit.SECONDS);
        }
        long lastCommit = platform.currentLsn();
        platform.awaitWatermarkPast(lastCommit, RECOVERY_LIMIT);
        reading.set(false);
        for (Future<?> reader : readers) {
            reader.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        List<String> stale = CacheComparison.stale(platform, cached(), truth, hot);
        String summary = summary(duration, injected, recoveries, stale.size());
        System.out.println(summary);
        Files.writeString(Platform.ROOT.resolve("e2e-tests").resolve("target").resolve("soak-summary.txt"), summary);
        assertTrue(injected >= faults.size(), "every kind of fault was injected at least once: " + injected);
        assertTrue(writes.get() > 100 && reads.get() > 1_000, "load: " + writes + " writes, " + reads + " reads");
        assertEquals(List.of(), stale, stale.size() + " stale entries after the pipeline drained\n" + summary);
    }

    /** The faults, in the order they are injected; each returns once the fault is over (the part is back). */
    private static List<Fault> faults() {
        DevStack stack = DevStack.shared();
        return List.of(
                new Fault("kill -9 invalidator", () -> {
                    invalidator.kill();
                    invalidator = invalidator.restart("after kill -9 (SoakIT)");
                    invalidator.awaitHealthy(RECOVERY_LIMIT);
                }),
                new Fault("cut broadcast connections", () -> {
                    platform.redis().sync().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub());
                }),
                new Fault("kill -9 connector", () -> {
                    connector.kill();
                    connector = connector.restart("after kill -9 (SoakIT)");
                    connector.awaitHealthy(RECOVERY_LIMIT);
                }),
                new Fault("restart Redis", platform::restartRedis),
                new Fault("restart Postgres", () -> {
                    stack.server(ServerKind.POSTGRES).stop();
                    stack.server(ServerKind.POSTGRES).start();
                }),
                new Fault("pause Kafka 5 s", () -> {
                    long pid = DevStack.leftoverProcesses(stack.workDir()).get("kafka");
                    Signals.send("STOP", pid);
                    try {
                        Thread.sleep(5_000);
                    } finally {
                        Signals.send("CONT", pid);
                    }
                }));
    }

    /**
     * Writes a fresh name to a user nobody else touches and waits until both instances serve it from trusted caches:
     * the time the platform took to work normally again.
     */
    private Duration probe(String when) {
        long user = Platform.DATA.userId(3, 0);
        String path = "/v1/orgs/3/users/" + user;
        String name = "probe " + sequence.incrementAndGet();
        Instant started = Instant.now();
        Wait.until("the probe write " + when, RECOVERY_LIMIT, () -> {
            try {
                platform.commit("update users set display_name = '" + name + "' where id = " + user);
                return true;
            } catch (SQLException e) {
                return false; // Postgres is still coming back
            }
        }, ok -> ok);
        for (Api api : cached()) {
            Wait.until(api + " serves the probe " + when + " from trusted caches", RECOVERY_LIMIT, () -> {
                try {
                    return api.get(path);
                } catch (RuntimeException e) {
                    return null;
                }
            }, r -> r != null && r.trusted() && r.body().contains("\"" + name + "\""));
        }
        return Duration.between(started, Instant.now());
    }

    /** The two instances with caches (the third, "truth", has none). */
    private static List<Api> cached() {
        return List.of(platform.api(0), platform.api(1));
    }

    private Void write(SplittableRandom random, AtomicBoolean writing) {
        Connection c = null;
        while (writing.get()) {
            try {
                if (c == null || c.isClosed()) {
                    c = platform.sql();
                }
                writeOne(c, random);
                writes.incrementAndGet();
                pause(WRITE_PAUSE_MILLIS);
            } catch (SQLException | RuntimeException e) {
                writeErrors.incrementAndGet(); // a restarting Postgres, or two writers on one id
                closeQuietly(c);
                c = null;
                pause(50);
            }
        }
        closeQuietly(c);
        return null;
    }

    private void writeOne(Connection c, SplittableRandom random) throws SQLException {
        long org = 1 + random.nextInt(ORGS);
        long role = Platform.DATA.roleId(org, random.nextInt(ROLES_PER_ORG));
        String permission = "soak.p" + random.nextInt(6);
        try (Statement s = c.createStatement()) {
            int op = random.nextInt(200);
            if (op < 60) {
                long user = Platform.DATA.userId(org, random.nextInt(TRACKED_PER_ORG));
                String name = "soak " + sequence.incrementAndGet();
                s.execute("update users set display_name = '" + name + "' where id = " + user);
                long at = now();
                committedAt.put(name, at);
                versions.computeIfAbsent(user, u -> new ConcurrentSkipListMap<>()).put(at, name);
            } else if (op < 80) {
                long user = untrackedUser(random);
                if (!deleted.contains(user)) {
                    s.execute("update users set org_id = " + org + ", role_id = null where id = " + user);
                }
            } else if (op < 100) {
                long user = untrackedUser(random);
                if (deleted.remove(user)) {
                    s.execute("insert into users (id, org_id, email, display_name) values (" + user + ", " + org
                            + ", 'soak." + user + "@org" + org + ".example', 'back " + sequence.incrementAndGet() + "')");
                } else {
                    s.execute("delete from users where id = " + user);
                    deleted.add(user);
                }
            } else if (op < 130) {
                s.execute("insert into role_permissions (org_id, role_id, permission) values (" + org + ", " + role
                        + ", '" + permission + "') on conflict do nothing");
            } else if (op < 160) {
                s.execute("delete from role_permissions where role_id = " + role + " and permission = '"
                        + permission + "'");
            } else if (op < 180) {
                s.execute("update org_settings set session_ttl_minutes = " + (5 + random.nextInt(1_000))
                        + " where org_id = " + org);
            } else if (op < 199) {
                s.execute("update roles set description = 'd " + sequence.incrementAndGet() + "' where id = " + role);
            } else {
                s.execute("truncate role_permissions");
            }
        }
    }

    private static long untrackedUser(SplittableRandom random) {
        return Platform.DATA.userId(1 + random.nextInt(ORGS), TRACKED_PER_ORG
                + random.nextInt(USERS_PER_ORG - TRACKED_PER_ORG));
    }

    private Void read(SplittableRandom random, List<String> paths, AtomicBoolean reading) {
        while (reading.get()) {
            Api api = platform.api(random.nextInt(2));
            boolean tracked = random.nextInt(3) == 0;
            long org = 1 + random.nextInt(ORGS);
            long user = Platform.DATA.userId(org, random.nextInt(TRACKED_PER_ORG));
            String path = tracked ? "/v1/orgs/" + org + "/users/" + user : paths.get(random.nextInt(paths.size()));
            long started = now();
            try {
                Api.Reply reply = api.get(path);
                reads.incrementAndGet();
                if (!reply.trusted()) {
                    bypassed.incrementAndGet();
                }
                if (tracked && reply.status() == 200) {
                    judge(api + " " + path + " [" + reply.cache() + "]", user, reply.body(), started);
                }
            } catch (RuntimeException e) {
                readErrors.incrementAndGet();
                pause(20);
            }
            if (READ_PAUSE_MILLIS > 0) {
                pause(READ_PAUSE_MILLIS);
            }
        }
        return null;
    }

    /**
     * A read is stale when a newer name than the one it returned had committed before it began; its staleness is how
     * long before: from the commit of the first name that replaced the returned one.
     */
    private void judge(String what, long user, String body, long readStarted) {
        Matcher m = NAME.matcher(body);
        if (!m.find()) {
            return;
        }
        NavigableMap<Long, String> history = versions.get(user);
        if (history == null) {
            return;
        }
        Long returnedAt = committedAt.get(m.group(1));
        if (returnedAt == null && m.group(1).startsWith("soak ")) {
            return; // committed, and read, before its writer recorded it: as fresh as can be
        }
        // the demo's initial name (null) was replaced by the first name the test wrote
        Map.Entry<Long, String> replacement = returnedAt == null ? history.firstEntry()
                : history.higherEntry(returnedAt);
        if (replacement != null && replacement.getKey() < readStarted) {
            long staleness = readStarted - replacement.getKey();
            stalenessSamples.add(new long[] {readStarted, staleness});
            if (staleness > maxStalenessNanos.getAndAccumulate(staleness, Math::max)) {
                worstRead = what + " returned '" + m.group(1) + "' " + staleness / 1_000_000 + " ms after '"
                        + replacement.getValue() + "' committed";
            }
        }
    }

    private String summary(Duration duration, int injected, List<String> recoveries, int stale) {
        List<Long> during = new ArrayList<>();
        List<Long> outside = new ArrayList<>();
        synchronized (stalenessSamples) {
            for (long[] sample : stalenessSamples) {
                (duringFault(sample[0]) ? during : outside).add(sample[1]);
            }
        }
        return String.join(System.lineSeparator(),
                "soak: " + Duration.between(loadStart, Instant.now()).toSeconds() + " s of load (asked: "
                        + duration.toSeconds() + " s), 2 API instances, " + WRITERS + " SQL writers, " + READERS
                        + " readers" + (READ_PAUSE_MILLIS > 0 ? " pausing " + READ_PAUSE_MILLIS + " ms per read" : ""),
                "faults injected: " + injected,
                "writes: " + writes + " (" + writeErrors + " failed while Postgres restarted or writers collided)",
                "reads: " + reads + " (" + bypassed + " BYPASS, " + readErrors + " failed)",
                "reads that returned a name replaced before they began (bounded by the 3 s staleness budget):",
                "  outside fault windows: " + distribution(outside),
                "  during a fault or its recovery: " + distribution(during),
                "  the stalest read: " + worstRead,
                "recovery (fault over -> a new write served from trusted caches by both instances):",
                "  " + String.join(System.lineSeparator() + "  ", recoveries),
                "stale after the pipeline drained: " + stale, "");
    }

    private boolean duringFault(long at) {
        synchronized (faultWindows) {
            return faultWindows.stream().anyMatch(w -> at >= w[0] && at <= w[1]);
        }
    }

    /** Count and staleness quantiles of stale reads. */
    private static String distribution(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return "0";
        }
        Collections.sort(nanos);
        java.util.function.DoubleFunction<Long> millis = q -> nanos.get((int) Math.min(nanos.size() - 1,
                nanos.size() * q)) / 1_000_000;
        return nanos.size() + ", staleness p50 " + millis.apply(0.5) + " ms, p90 " + millis.apply(0.9) + " ms, p99 "
                + millis.apply(0.99) + " ms, max " + nanos.getLast() / 1_000_000 + " ms";
    }

    private static long now() {
        return System.nanoTime();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    /** One kind of fault: {@link #run()} injects it and returns when the broken part is back. */
    private record Fault(String name, Action action) {
        void run() throws Exception {
            action.run();
        }
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }
}
