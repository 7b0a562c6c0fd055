package dev.commitcast.cdc;

import dev.commitcast.cdc.testsupport.CdcTestDatabase;
import dev.commitcast.cdc.testsupport.TopicTail;
import dev.commitcast.cdc.testsupport.Wait;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Measures commit-to-Kafka-acknowledgement latency of the connector on the dev stack: N single-row UPDATEs, each its
 * own transaction, paced at a fixed interval, once with the session's {@code synchronous_commit = on} (the Postgres
 * default: the walsender can ship the commit at once) and once with {@code off} (the dev stack's server default,
 * where WAL is flushed by the WAL writer every {@code wal_writer_delay}).
 *
 * <p>Prints, per phase: commit to acknowledgement as the connector measures it ({@code source.ts_us} to the producer's
 * ack: the {@code commitcast_cdc_commit_to_ack_seconds} histogram, percentiles interpolated within its buckets, so
 * about +-10%) and commit to consumption as a client sees it (JDBC commit returned to a Kafka consumer receiving the
 * record, exact). The first 10% of each phase are warm-up and not counted in either; a short unreported phase warms
 * the JVM up first; each phase runs its own connector.
 *
 * <p>Run (not {@code exec:java}: the dev stack starts Kafka as a child JVM from {@code java.class.path}):
 * {@code ./mvnw -B -q -pl cdc-connector test-compile exec:exec -Dexec.executable=$JAVA_HOME/bin/java
 * -Dexec.classpathScope=test -Dexec.args="-cp %classpath dev.commitcast.cdc.LatencyProbe 2000 10 10"} (updates per
 * phase, pacing in ms, poll.interval.ms).
 */
public final class LatencyProbe {
    private static final Pattern NAME = Pattern.compile("\"display_name\":\"probe-([a-z]+)-(\\d+)\"");

    private LatencyProbe() {
    }

    public static void main(String[] args) throws Exception {
        int updates = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Duration pacing = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 10);
        Duration pollInterval = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2])
                : CdcSettings.DEFAULT_POLL_INTERVAL.toMillis());
        try (CdcTestDatabase db = CdcTestDatabase.migrated("probe")) {
            System.out.printf("Latency probe: %d updates per phase, one every %d ms, poll.interval.ms=%d%n", updates,
                    pacing.toMillis(), pollInterval.toMillis());
            System.out.println("phase                  | n    | commit->ack p50 / p90 / p99 (ms) "
                    + "| commit->consumed p50 / p99 / max (ms)");
            runPhase(db, "warmup", "on", Math.min(updates, 300), pacing, pollInterval, false); // JIT, not printed
            runPhase(db, "on", "on", updates, pacing, pollInterval, true);
            runPhase(db, "off", "off", updates, pacing, pollInterval, true);
        }
        System.exit(0);
    }

    private static void runPhase(CdcTestDatabase db, String phase, String synchronousCommit, int updates,
                                 Duration pacing, Duration pollInterval, boolean report)
            throws Exception {
        // Prometheus keeps cumulative histogram buckets (no time window), so the warm-up can be subtracted exactly.
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CdcSettings settings = db.settings().pollInterval(pollInterval)
                .heartbeatInterval(CdcSettings.DEFAULT_HEARTBEAT_INTERVAL)
                .offsetFlushInterval(CdcSettings.DEFAULT_OFFSET_FLUSH_INTERVAL).build();
        Map<Integer, Long> committedAt = new ConcurrentHashMap<>();
        Histogram consumed = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        int warmup = updates / 10;
        try (CdcConnector connector = CdcConnector.create(settings, registry, Clock.systemUTC())) {
            connector.start();
            if (!connector.awaitStreaming(Duration.ofSeconds(60))) {
                throw new IllegalStateException("connector did not start streaming");
            }
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger received = new AtomicInteger();
            Thread reader = Thread.ofPlatform().name("probe-consumer").start(() ->
                    consume(db, phase, updates, warmup, committedAt, consumed, received, done));
            Timer commitToAck = connector.metrics().commitToAck();
            HistogramSnapshot afterWarmup = null;
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 PreparedStatement update = c.prepareStatement("update users set display_name = ? where id = ?")) {
                s.execute("set synchronous_commit = " + synchronousCommit);
                long next = System.nanoTime();
                for (int i = 0; i < updates; i++) {
                    if (i == warmup) {
                        Wait.until("warm-up updates consumed", Duration.ofSeconds(60), () -> received.get() >= warmup);
                        afterWarmup = commitToAck.takeSnapshot();
                        next = System.nanoTime();
                    }
                    LockSupport.parkNanos(next - System.nanoTime());
                    next += pacing.toNanos();
                    update.setString(1, "probe-" + phase + "-" + i);
                    update.setLong(2, 1 + ThreadLocalRandom.current().nextInt(15));
                    update.executeUpdate(); // autocommit: returns after COMMIT
                    committedAt.put(i, System.nanoTime());
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            reader.join(TimeUnit.SECONDS.toMillis(60));
            done.set(true);
            reader.join();
            if (report) {
                print(phase, updates - warmup, afterWarmup, commitToAck.takeSnapshot(), consumed);
            }
        }
    }

    private static void consume(CdcTestDatabase db, String phase, int updates, int warmup,
                                Map<Integer, Long> committedAt, Histogram consumed, AtomicInteger received,
                                AtomicBoolean done) {
        try (TopicTail tail = new TopicTail(db.bootstrap(), List.of(db.topic("users")))) {
            Set<Integer> counted = new HashSet<>();
            tail.awaitCount("all probe updates", Duration.ofSeconds(120), updates, r -> {
                if (done.get() || TopicTail.isControl(r)) {
                    return done.get();
                }
                Matcher m = NAME.matcher(after(r));
                if (m.find() && m.group(1).equals(phase)) {
                    int i = Integer.parseInt(m.group(2));
                    Long committed = committedAt.get(i);
                    if (counted.add(i)) {
                        received.incrementAndGet();
                        if (committed != null && i >= warmup) {
                            // Stamped when the record is first examined, right after the poll that fetched it.
                            consumed.recordValue(Math.max(0,
                                    TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - committed)));
                        }
                    }
                    return true;
                }
                return false;
            });
        }
    }

    private static String after(ConsumerRecord<byte[], byte[]> r) {
        String v = TopicTail.text(r.value());
        int after = v.indexOf("\"after\":");
        return after < 0 ? "" : v.substring(after);
    }

    private static void print(String phase, int n, HistogramSnapshot before, HistogramSnapshot after,
                              Histogram consumed) {
        CountAtBucket[] b = before.histogramCounts();
        CountAtBucket[] a = after.histogramCounts();
        double total = a[a.length - 1].count() - b[b.length - 1].count();
        System.out.printf("synchronous_commit=%-3s | %4d | %6.1f / %6.1f / %6.1f       | %6.1f / %6.1f / %6.1f%n",
                phase, n, percentile(b, a, total, 0.50), percentile(b, a, total, 0.90),
                percentile(b, a, total, 0.99),
                consumed.getValueAtPercentile(50) / 1000.0, consumed.getValueAtPercentile(99) / 1000.0,
                consumed.getMaxValue() / 1000.0);
    }

    /** Percentile in ms from the difference of two cumulative bucket snapshots, interpolated within a bucket. */
    private static double percentile(CountAtBucket[] before, CountAtBucket[] after, double total, double q) {
        double target = q * total;
        double previousBound = 0;
        double previousCount = 0;
        for (int i = 0; i < after.length; i++) {
            double count = after[i].count() - before[i].count();
            double bound = after[i].bucket(TimeUnit.MILLISECONDS);
            if (count >= target) {
                double inBucket = count - previousCount;
                double fraction = inBucket <= 0 ? 1 : (target - previousCount) / inBucket;
                return previousBound + fraction * (bound - previousBound);
            }
            previousBound = bound;
            previousCount = count;
        }
        return Double.NaN;
    }
}
