package dev.commitcast.e2e;

import dev.commitcast.core.CacheKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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

/**
 * A write and read load on a running {@link Platform} while faults are injected one after another, shared by
 * {@link SoakIT} (crashes and outages of every part) and {@link RebalanceIT} (invalidators leaving and joining the
 * consumer group). SQL writers of every kind (updates, parent moves, deletes and inserts re-using ids, permission
 * grants and revokes, settings, truncates) and readers on every endpoint of the two cached API instances.
 *
 * <p>What it judges:
 * <ul>
 *   <li>after each fault, how long until a new write is served from trusted caches by both instances (the probe);</li>
 *   <li>staleness: a read that returned a user's name after a newer one had committed, and how long after
 *       (reported: bounded by the staleness budget, not asserted);</li>
 *   <li>read-your-writes: every other read of a tracked user presents the token ({@code X-Commitcast-Lsn},
 *       {@code pg_current_wal_insert_lsn()} after the commit) of that user's newest committed name; an answer older
 *       than that name means an instance believed the pipeline had applied a change it had not — a watermark ahead of
 *       the invalidations. Counted as violations, which must be 0 whatever the faults;</li>
 *   <li>at the end, after the pipeline drained: every endpoint of both instances and every value in Redis equal to
 *       Postgres (a cache-less instance).</li>
 * </ul>
 */
final class FaultLoad {
    static final int ORGS = 2;
    static final int USERS_PER_ORG = 10;
    /** Users 0..4 of each org get only name updates, so their history is known. */
    private static final int TRACKED_PER_ORG = 5;
    static final int ROLES_PER_ORG = 4;
    private static final int WRITERS = 3;
    private static final int READERS = 4;
    /** Each writer pauses this long after a write: ~100 writes/s in all, a busy OLTP table, not a firehose. */
    private static final long WRITE_PAUSE_MILLIS = 30;
    /** Each reader pauses this long after a read ({@code -Dcommitcast.e2e.soak.read-pause-ms}): 0 saturates 2 cores. */
    private static final long READ_PAUSE_MILLIS = Long.getLong("commitcast.e2e.soak.read-pause-ms", 0);
    static final Duration RECOVERY_LIMIT = Duration.ofSeconds(90);
    private static final Duration MAX_FAULT_SPACING = Duration.ofSeconds(15);
    private static final Pattern NAME = Pattern.compile("\"displayName\":\"([^\"]*)\"");

    /** One kind of fault: {@link #run()} injects it and returns when the broken part is back. */
    record Fault(String name, Action action) {
        void run() throws Exception {
            action.run();
        }
    }

    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /**
     * What a run found.
     *
     * @param summary     printable summary of the run
     * @param injected    faults injected
     * @param stale       entries that differ from Postgres after the pipeline drained
     * @param violations  token reads answered with a name older than the token's write
     */
    record Result(String summary, int injected, long writes, long reads, List<String> stale, List<String> violations) {
        /** The first ten violations, one per line (an assertion message, not thousands of lines). */
        String firstViolations() {
            return String.join(System.lineSeparator(), violations.stream().limit(10).toList());
        }

        /**
         * Asserts what every fault run must hold: each of the {@code faults} was injected, there was real load, no
         * token read was answered older than its write, and no cache differs from Postgres after the drain.
         */
        void assertHeld(int faults, String summary) {
            org.junit.jupiter.api.Assertions.assertTrue(injected >= faults,
                    "every fault was injected at least once: " + injected + "\n" + summary);
            org.junit.jupiter.api.Assertions.assertTrue(writes > 100 && reads > 1_000,
                    "load: " + writes + " writes, " + reads + " reads\n" + summary);
            org.junit.jupiter.api.Assertions.assertEquals(0, violations.size(),
                    "reads answered older than their read-your-writes token, e.g.\n" + firstViolations() + "\n"
                            + summary);
            org.junit.jupiter.api.Assertions.assertEquals(List.of(), stale,
                    stale.size() + " stale entries after the pipeline drained\n" + summary);
        }
    }

    private final Platform platform;
    private final Api truth;
    private final String title;

    /** Committed names per tracked user: commit-return time (nanos of {@link #now()}) -> name. */
    private final Map<Long, NavigableMap<Long, String>> versions = new ConcurrentHashMap<>();
    private final Map<String, Long> committedAt = new ConcurrentHashMap<>();
    /** Read-your-writes token of each tracked name. */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Set<Long> deleted = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong tokenReads = new AtomicLong();
    private final AtomicLong bypassed = new AtomicLong();
    private final AtomicLong readErrors = new AtomicLong();
    private final AtomicLong maxStalenessNanos = new AtomicLong();
    /** Per stale read: {when the read began, its staleness}, both nanos. */
    private final List<long[]> stalenessSamples = Collections.synchronizedList(new ArrayList<>());
    /** Per fault: {injected, recovered}, nanos: reads that begin inside one are "during a fault". */
    private final List<long[]> faultWindows = Collections.synchronizedList(new ArrayList<>());
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private volatile String worstRead = "none";
    private Instant loadStart;

    /**
     * @param platform the platform, with two cached API instances ({@code api(0)}, {@code api(1)})
     * @param truth    an instance without caches: what Postgres says
     * @param title    names the run in its summary
     */
    FaultLoad(Platform platform, Api truth, String title) {
        this.platform = platform;
        this.truth = truth;
        this.title = title;
    }

    /**
     * Runs the load for {@code duration} and injects the faults in order, one every 15 s at most (spread over a
     * short run), each after the previous one recovered, every one at least once; then stops the writers, waits
     * for the pipeline to drain and compares every cache with Postgres.
     */
    Result run(Duration duration, List<Fault> faults) throws Exception {
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
            int writer = i;
            writers.add(pool.submit(() -> write(random, writing, writer)));
        }
        for (int i = 0; i < READERS; i++) {
            SplittableRandom random = new SplittableRandom(4_000 + i);
            readers.add(pool.submit(() -> read(random, paths, reading)));
        }

        loadStart = Instant.now();
        Instant end = loadStart.plus(duration);
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
        return new Result(summary, injected, writes.get(), reads.get(), stale, List.copyOf(violations));
    }

    /**
     * Writes a fresh name to a user nobody else touches and waits until both instances serve it from trusted caches:
     * the time the platform took to work normally again.
     */
    Duration probe(String when) {
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
    private List<Api> cached() {
        return List.of(platform.api(0), platform.api(1));
    }

    private Void write(SplittableRandom random, AtomicBoolean writing, int writer) {
        Connection c = null;
        while (writing.get()) {
            try {
                if (c == null || c.isClosed()) {
                    c = platform.sql();
                }
                writeOne(c, random, writer);
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

    /**
     * One write of a random kind. A tracked user's names are written by one writer only (its share of the tracked
     * users), so the order in which names are recorded is their commit order.
     */
    private void writeOne(Connection c, SplittableRandom random, int writer) throws SQLException {
        long org = 1 + random.nextInt(ORGS);
        long role = Platform.DATA.roleId(org, random.nextInt(ROLES_PER_ORG));
        String permission = "soak.p" + random.nextInt(6);
        try (Statement s = c.createStatement()) {
            int op = random.nextInt(200);
            if (op < 60) {
                int index;
                do {
                    index = random.nextInt(TRACKED_PER_ORG);
                } while ((org * TRACKED_PER_ORG + index) % WRITERS != writer);
                long user = Platform.DATA.userId(org, index);
                String name = "soak " + sequence.incrementAndGet();
                s.execute("update users set display_name = '" + name + "' where id = " + user);
                tokens.put(name, insertLsn(s));
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

    /** {@code pg_current_wal_insert_lsn()}: a read-your-writes token at or after the last commit of this session. */
    private static String insertLsn(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("select pg_current_wal_insert_lsn()::text")) {
            rs.next();
            return rs.getString(1);
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
            // Every other tracked read presents the token of the user's newest committed name.
            NavigableMap<Long, String> history = versions.get(user);
            Map.Entry<Long, String> newest = tracked && history != null && random.nextBoolean() ? history.lastEntry() : null;
            String token = newest == null ? null : tokens.get(newest.getValue());
            long started = now();
            try {
                Api.Reply reply = api.get(path, token);
                reads.incrementAndGet();
                if (!reply.trusted()) {
                    bypassed.incrementAndGet();
                }
                if (tracked && reply.status() == 200) {
                    judge(api + " " + path + " [" + reply.cache() + "]", user, reply.body(), started);
                    if (token != null) {
                        tokenReads.incrementAndGet();
                        checkToken(api + " " + path + " [" + reply.cache() + "]", newest, token, reply.body());
                    }
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

    /** A read with the token of {@code newest} must return that name or a later one. */
    private void checkToken(String what, Map.Entry<Long, String> newest, String token, String body) {
        Matcher m = NAME.matcher(body);
        if (!m.find() || m.group(1).equals(newest.getValue())) {
            return;
        }
        Long returnedAt = committedAt.get(m.group(1));
        if (returnedAt == null && m.group(1).startsWith("soak ")) {
            return; // committed after the token's write, not yet recorded by its writer: newer
        }
        if (returnedAt == null || returnedAt < newest.getKey()) {
            violations.add(what + " with token " + token + " of '" + newest.getValue() + "' returned the older '"
                    + m.group(1) + "'");
        }
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
                title + ": " + Duration.between(loadStart, Instant.now()).toSeconds() + " s of load (asked: "
                        + duration.toSeconds() + " s), 2 API instances, " + WRITERS + " SQL writers, " + READERS
                        + " readers" + (READ_PAUSE_MILLIS > 0 ? " pausing " + READ_PAUSE_MILLIS + " ms per read" : ""),
                "faults injected: " + injected,
                "writes: " + writes + " (" + writeErrors + " failed while Postgres restarted or writers collided)",
                "reads: " + reads + " (" + bypassed + " BYPASS, " + readErrors + " failed)",
                "reads that returned a name replaced before they began (bounded by the staleness budget):",
                "  outside fault windows: " + distribution(outside),
                "  during a fault or its recovery: " + distribution(during),
                "  the stalest read: " + worstRead,
                "reads with a read-your-writes token: " + tokenReads + ", answered older than the token: "
                        + violations.size(),
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

}
