package dev.commitcast.e2e.bench;

import dev.commitcast.cli.status.PipelineStage;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.wire.EvictionCodec;
import dev.commitcast.core.wire.EvictionMessage;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Rules;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.HdrHistogram.Histogram;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures invalidation latency of a running platform ({@code ./commitcast up --detach}; endpoints from
 * {@code eval "$(./commitcast env)"}): single-row UPDATEs of users are committed at a fixed rate, and the time from
 * just before each COMMIT to the arrival of the L1 eviction broadcast naming that user is recorded (the broadcast is
 * sent after the Redis delete, and every api-service instance evicts its L1 on receipt; the instances' own receive
 * delay is reported by them as {@code commitcast_broadcast_delay_seconds}). Also measures the UPDATE rate Postgres
 * itself sustains here, and CPU and RSS of every platform process.
 *
 * <p>Run: see docs/benchmarks.md. Arguments: rates (changes/s) to measure, e.g. {@code 100 1000 2000 4000}.
 */
public final class InvalidationLatencyBenchmark {
    private static final Duration PHASE = Duration.ofSeconds(Long.getLong("bench.seconds", 20));
    private static final Duration WARMUP = Duration.ofSeconds(3);

    private final String jdbcUrl = require("COMMITCAST_PG_JDBC_URL");
    private final String user = require("COMMITCAST_PG_USER");
    private final String password = require("COMMITCAST_PG_PASSWORD");
    private final Rules rules = rules();
    private final KeySpace keySpace = rules.keySpace();
    private final EvictionCodec codec = new EvictionCodec(rules);
    /** user id -> nanoTime just before the COMMIT of its newest pending update. */
    private final Map<Long, Long> pending = new ConcurrentHashMap<>();
    private volatile Histogram recording;
    private final AtomicLong unmatched = new AtomicLong();
    private long[][] users; // [i] = {orgId, userId}
    private final PlatformProbe probe = new PlatformProbe();
    private final List<String> stageRows = new ArrayList<>();
    private final List<String> cpuRows = new ArrayList<>();

    /** The platform's rules ($COMMITCAST_RULES, as ./commitcast env exports it), in -Dbench.key-space if given. */
    private static Rules rules() {
        Rules loaded = Rules.load(java.nio.file.Path.of(require("COMMITCAST_RULES")));
        String keySpace = System.getProperty("bench.key-space");
        return keySpace == null ? loaded : loaded.withKeySpacePrefix(keySpace);
    }

    public static void main(String[] args) throws Exception {
        new InvalidationLatencyBenchmark().run(args.length == 0 ? new String[] {"100", "1000"} : args);
    }

    private void run(String[] rates) throws Exception {
        users = loadUsers();
        Map<String, ProcessStats.Usage> before = ProcessStats.snapshot();
        long started = System.nanoTime();
        System.out.printf("platform: %s, %,d users, key space %s, phases of %s%n", jdbcUrl, users.length,
                keySpace.prefix(), PHASE);
        RedisClient client = RedisClient.create(require("COMMITCAST_REDIS_URL"));
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub()) {
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    onBroadcast(message, System.nanoTime());
                }
            });
            sub.sync().subscribe(keySpace.evictionChannel());
            // before anything else warms the pipeline up: what the first change after `up` costs
            firstChange();
            Map<String, Long> heapAtStart = probe.heapAfterGc();
            // phase A: Postgres alone, the same writers and rows, every service JVM of the pipeline stopped
            probe.pausePipeline();
            double alone;
            try {
                alone = postgresRate(8, Duration.ofSeconds(10));
            } finally {
                probe.resumePipeline();
            }
            System.out.printf("postgres alone: %,.0f single-row UPDATE commits/s (8 connections, 10 s, the pipeline's "
                    + "JVMs stopped)%n", alone);
            drained("that backlog");
            double shared = postgresRate(8, Duration.ofSeconds(10));
            System.out.printf("postgres with the pipeline running: %,.0f commits/s (%.2fx alone)%n", shared,
                    shared / alone);
            drained("that burst");
            System.out.println();
            System.out.println("rate/s | achieved/s | commit->L1 eviction broadcast p50 / p90 / p99 / max ms | "
                    + "unmatched | drained after s");
            for (String rate : rates) {
                measure(rate.equals("pg") ? (int) Math.round(alone) : Integer.parseInt(rate));
            }
            System.out.println();
            System.out.println("per rate, each stage from the commit, p50 / p99 ms (the services' own histograms): "
                    + Arrays.stream(PipelineStage.values()).map(PipelineStage::label).toList());
            stageRows.forEach(System.out::println);
            System.out.println();
            System.out.println("per rate, CPU of each process during the phase (% of one core):");
            cpuRows.forEach(System.out::println);
            System.out.println();
            System.out.println("heap after a full GC, MB: at the start " + heapAtStart + ", at the end "
                    + probe.heapAfterGc());
        } finally {
            client.shutdown();
            probe.close();
        }
        System.out.println();
        ProcessStats.printDelta(before, ProcessStats.snapshot(),
                Math.max(1, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)));
    }

    /** Times how long the pipeline takes to catch up with everything committed so far, and prints it. */
    private void drained(String what) throws Exception {
        long from = System.nanoTime();
        awaitPipelineCaughtUp();
        System.out.printf("the pipeline caught up with %s %.1f s later%n", what, (System.nanoTime() - from) / 1e9);
    }

    private void measure(int rate) throws Exception {
        recording = null;
        awaitPipelineCaughtUp();
        if (rate == 0) {
            idle();
            return;
        }
        drive(rate, WARMUP);
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        unmatched.set(0);
        var stagesBefore = probe.stages();
        Map<String, ProcessStats.Usage> cpuBefore = ProcessStats.snapshot();
        recording = histogram;
        long sent = drive(rate, PHASE);
        Map<String, ProcessStats.Usage> cpuAfter = ProcessStats.snapshot();
        long phaseEnd = System.nanoTime();
        awaitPipelineCaughtUp();
        double drainedAfter = (System.nanoTime() - phaseEnd) / 1e9;
        // let the tail of the phase arrive before reading the histogram
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        recording = null;
        System.out.printf("%6d | %10.0f | %8.1f / %6.1f / %6.1f / %7.1f | %d (pending %d) | %.1f%n", rate,
                sent / (double) PHASE.toSeconds(), ms(histogram, 50), ms(histogram, 90), ms(histogram, 99),
                histogram.getMaxValue() / 1000.0, unmatched.get(), pending.size(), drainedAfter);
        stageRows.add(String.format("%6d | %s", rate, PlatformProbe.stageQuantiles(stagesBefore, probe.stages())));
        cpuRows.add(String.format("%6d | %s", rate, ProcessStats.cpuPercent(cpuBefore, cpuAfter, PHASE.toSeconds())));
        pending.clear();
    }

    /** Rate 0: the platform idle for a phase (heartbeats only); its CPU goes to the CPU table. */
    private void idle() throws Exception {
        Map<String, ProcessStats.Usage> cpuBefore = ProcessStats.snapshot();
        Thread.sleep(PHASE.toMillis());
        cpuRows.add(String.format("%6s | %s", "idle", ProcessStats.cpuPercent(cpuBefore, ProcessStats.snapshot(),
                PHASE.toSeconds())));
        System.out.printf("%6d | idle for %d s (CPU below)%n", 0, PHASE.toSeconds());
    }

    /** Commits one update and prints how long its eviction broadcast took: the first change after start-up. */
    private void firstChange() throws Exception {
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        recording = histogram;
        drive(1, Duration.ofMillis(1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (histogram.getTotalCount() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        recording = null;
        pending.clear();
        System.out.printf("first change: commit->L1 eviction broadcast %s%n", histogram.getTotalCount() == 0
                ? "not seen within 30 s" : String.format("%.1f ms", histogram.getMaxValue() / 1000.0));
    }

    /** Commits single-row updates at {@code rate}/s for {@code duration} from 4 (over 2,000/s 8) connections. */
    private long drive(int rate, Duration duration) throws Exception {
        int threads = rate > 2_000 ? 8 : 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong next = new AtomicLong(System.nanoTime());
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        long end = System.nanoTime() + duration.toNanos();
        AtomicLong count = new AtomicLong();
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                     PreparedStatement update = c.prepareStatement(
                             "update users set display_name = ? where id = ? and org_id = ?")) {
                    c.setAutoCommit(false);
                    while (true) {
                        long slot = next.getAndAdd(intervalNanos);
                        if (slot > end) {
                            return null;
                        }
                        long wait = slot - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        long i = count.getAndIncrement();
                        long[] target = users[(int) (i % users.length)];
                        update.setString(1, "bench " + i);
                        update.setLong(2, target[1]);
                        update.setLong(3, target[0]);
                        update.executeUpdate();
                        pending.put(target[1], System.nanoTime());
                        c.commit();
                    }
                }
            }));
        }
        for (var future : futures) {
            future.get();
        }
        pool.shutdown();
        return count.get();
    }

    private void onBroadcast(String message, long receivedNanos) {
        EvictionMessage decoded = codec.decode(message);
        Histogram histogram = recording;
        for (CacheKey key : decoded.keys()) {
            if (!key.kind().name().equals("user")) {
                continue;
            }
            Long committedAt = pending.remove(key.longPart("id"));
            if (committedAt == null) {
                unmatched.incrementAndGet();
            } else if (histogram != null) {
                histogram.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(receivedNanos - committedAt)));
            }
        }
    }

    private double postgresRate(int connections, Duration duration) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long end = System.nanoTime() + duration.toNanos();
        AtomicLong count = new AtomicLong();
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
            int offset = t;
            futures.add(pool.submit(() -> {
                try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                     PreparedStatement update = c.prepareStatement(
                             "update users set display_name = ? where id = ? and org_id = ?")) {
                    long i = offset;
                    while (System.nanoTime() < end) {
                        long[] target = users[(int) (i % users.length)];
                        update.setString(1, "pg " + i);
                        update.setLong(2, target[1]);
                        update.setLong(3, target[0]);
                        update.executeUpdate();
                        count.incrementAndGet();
                        i += connections;
                    }
                }
                return null;
            }));
        }
        for (var future : futures) {
            future.get();
        }
        pool.shutdown();
        return count.get() / (double) duration.toSeconds();
    }

    /** Waits until the published watermark passes the current end of the WAL: everything so far is invalidated. */
    private void awaitPipelineCaughtUp() throws Exception {
        long target;
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint")) {
            rs.next();
            target = rs.getLong(1);
        }
        RedisClient client = RedisClient.create(require("COMMITCAST_REDIS_URL"));
        try (var redis = client.connect()) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (System.nanoTime() < deadline) {
                String text = redis.sync().get(keySpace.watermarkKey());
                if (text != null && dev.commitcast.core.Watermark.parseWire(text).lsn() >= target) {
                    return;
                }
                Thread.sleep(50);
            }
            throw new IllegalStateException("the pipeline did not catch up with LSN " + target + " within 5 minutes");
        } finally {
            client.shutdown();
        }
    }

    private long[][] loadUsers() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select org_id, id from users order by id")) {
            List<long[]> all = new ArrayList<>();
            while (rs.next()) {
                all.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
            return all.toArray(long[][]::new);
        }
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    private static String require(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: run ./commitcast up --detach and eval \"$(./commitcast env)\"");
        }
        return value;
    }
}
