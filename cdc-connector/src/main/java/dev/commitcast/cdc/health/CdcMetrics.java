package dev.commitcast.cdc.health;

import dev.commitcast.events.WatermarkMarker;
import dev.commitcast.cdc.publish.CommitVisibility;
import dev.commitcast.cdc.publish.DecodedEvent;
import dev.commitcast.cdc.publish.MarkerEmitter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connector's Micrometer meters (Prometheus names in brackets), all tagged with the slot name:
 * <ul>
 * <li>{@code commitcast.cdc.events} [{@code commitcast_cdc_events_total{table,op}}]: change events acknowledged by
 * Kafka;</li>
 * <li>{@code commitcast.cdc.acked.lsn} [{@code commitcast_cdc_acked_lsn}]: LSN of the last acknowledged event;</li>
 * <li>{@code commitcast.cdc.source.lag} [{@code commitcast_cdc_source_lag_seconds}]: now minus the commit time of the
 * last acknowledged event (heartbeats keep it small on an idle database);</li>
 * <li>{@code commitcast.cdc.commit.to.decoded} [{@code commitcast_cdc_commit_to_decoded_seconds}]: histogram of commit
 * to the engine handing the change event over (WAL decoded by pgoutput, converted by Debezium), per change event;</li>
 * <li>{@code commitcast.cdc.commit.to.ack} [{@code commitcast_cdc_commit_to_ack_seconds}]: histogram of commit to
 * Kafka acknowledgement per change event;</li>
 * <li>{@code commitcast.cdc.slot.retained.wal} [{@code commitcast_cdc_slot_retained_wal_bytes}]: WAL the slot keeps;</li>
 * <li>{@code commitcast.cdc.errors} [{@code commitcast_cdc_errors_total{kind}}]: publish, engine, marker, slot_poll;</li>
 * <li>{@code commitcast.cdc.markers} [{@code commitcast_cdc_markers_total}]: watermark marker records sent;</li>
 * <li>{@code commitcast.cdc.continuity.resets} [{@code commitcast_cdc_continuity_resets_total{reason}}]: continuity
 *     resets written (see {@code StreamContinuity});</li>
 * <li>{@code commitcast.cdc.visibility.hold} [{@code commitcast_cdc_visibility_hold_seconds}]: how long the current
 *     batch has been held because a transaction in it is decoded but not yet visible (0 when none is; see
 *     {@code CommitVisibility}), and {@code commitcast.cdc.visibility.holds} [{@code
 *     commitcast_cdc_visibility_holds_total}]: batches that were held;</li>
 * <li>{@code commitcast.cdc.engine.restarts}, {@code commitcast.cdc.startup.retries{dependency}},
 * {@code commitcast.cdc.streaming} (1 while streaming).</li>
 * </ul>
 * Thread-safe.
 */
public final class CdcMetrics implements MarkerEmitter.Listener, CommitVisibility.Listener {
    /** The {@code kind} values of {@code commitcast.cdc.errors}. */
    static final List<String> ERROR_KINDS = List.of("publish", "engine", "marker", "slot_poll");
    /** The {@code dependency} values of {@code commitcast.cdc.startup.retries} (see Preflight). */
    static final List<String> STARTUP_DEPENDENCIES = List.of("postgres", "kafka");

    private final MeterRegistry registry;
    private final Clock clock;
    private final Tags tags;
    private final Map<String, Counter> eventCounters = new ConcurrentHashMap<>();
    private final Timer commitToDecoded;
    private final Timer commitToAck;
    private final Counter markers;
    private final Counter engineRestarts;
    private final AtomicLong ackedLsn = new AtomicLong(-1);
    private final AtomicLong ackedCommitMicros = new AtomicLong(-1);
    private final AtomicLong slotRetainedBytes = new AtomicLong(-1);
    private final Counter visibilityHolds;
    private volatile long visibilityHoldNanos;
    private volatile boolean streaming;

    public CdcMetrics(MeterRegistry registry, Clock clock, String slotName) {
        this.registry = registry;
        this.clock = clock;
        this.tags = Tags.of("slot", slotName);
        this.commitToDecoded = latency("commitcast.cdc.commit.to.decoded",
                "Commit in Postgres to the engine handing the change event over (decoded and converted), per event");
        this.commitToAck = latency("commitcast.cdc.commit.to.ack",
                "Commit in Postgres to acknowledgement by Kafka, per change event");
        this.markers = Counter.builder("commitcast.cdc.markers").description("Watermark marker records sent")
                .tags(tags).register(registry);
        dev.commitcast.events.ContinuityReset.REASONS.forEach(this::continuityResets);
        this.engineRestarts = Counter.builder("commitcast.cdc.engine.restarts")
                .description("Engine restarts after retriable failures").tags(tags).register(registry);
        Gauge.builder("commitcast.cdc.acked.lsn", ackedLsn, AtomicLong::doubleValue)
                .description("LSN of the last event acknowledged by Kafka").tags(tags).register(registry);
        Gauge.builder("commitcast.cdc.source.lag", this, CdcMetrics::sourceLagSeconds).baseUnit("seconds")
                .description("Now minus the commit time of the last acknowledged event").tags(tags)
                .strongReference(true).register(registry);
        Gauge.builder("commitcast.cdc.slot.retained.wal", slotRetainedBytes, v -> v.get() < 0 ? Double.NaN : v.get())
                .baseUnit("bytes").description("WAL retained by the replication slot").tags(tags).register(registry);
        Gauge.builder("commitcast.cdc.visibility.hold", this, m -> m.visibilityHoldNanos / 1e9).baseUnit("seconds")
                .description("How long the current batch has been held: a transaction in it is decoded but not yet "
                        + "visible (a synchronous standby has not confirmed it)").tags(tags).strongReference(true)
                .register(registry);
        this.visibilityHolds = Counter.builder("commitcast.cdc.visibility.holds")
                .description("Batches held until their transactions were visible").tags(tags).register(registry);
        Gauge.builder("commitcast.cdc.streaming", this, m -> m.streaming ? 1 : 0)
                .description("1 while the engine is streaming").tags(tags).strongReference(true).register(registry);
        // Exported at 0 from the start: increase()/rate() cannot see a series' first increment, so a counter that
        // only appears with its first error would hide that error from the dashboard and the alerts.
        ERROR_KINDS.forEach(this::errors);
        STARTUP_DEPENDENCIES.forEach(this::startupRetries);
    }

    @Override
    public void holding(Duration heldFor) {
        visibilityHoldNanos = heldFor.toNanos();
    }

    @Override
    public void held(Duration heldFor) {
        visibilityHolds.increment();
    }

    private Timer latency(String name, String description) {
        return Timer.builder(name).description(description)
                .tags(tags).publishPercentiles(0.5, 0.9, 0.99).percentilePrecision(2).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
    }

    /** Records a batch the engine handed over at {@code decodedMicros}. */
    public void batchDecoded(List<DecodedEvent> events, long decodedMicros) {
        for (DecodedEvent e : events) {
            if (e.kind() == DecodedEvent.Kind.CHANGE && e.commitMicros() >= 0) {
                commitToDecoded.record(Math.max(0, decodedMicros - e.commitMicros()), TimeUnit.MICROSECONDS);
            }
        }
    }

    /** Records a batch Kafka acknowledged at {@code ackMicros}. */
    public void batchAcked(List<DecodedEvent> events, long ackMicros) {
        for (DecodedEvent e : events) {
            if (e.kind() == DecodedEvent.Kind.CHANGE) {
                eventCounter(e.table(), e.op()).increment();
                if (e.commitMicros() >= 0) {
                    commitToAck.record(Math.max(0, ackMicros - e.commitMicros()), TimeUnit.MICROSECONDS);
                }
            }
            if (e.hasPosition() && e.lsn() > ackedLsn.get()) {
                ackedLsn.set(e.lsn());
                ackedCommitMicros.set(e.commitMicros());
            }
        }
    }

    private Counter eventCounter(String table, String op) {
        return eventCounters.computeIfAbsent(table + '\u0000' + op, k -> Counter.builder("commitcast.cdc.events")
                .description("Change events acknowledged by Kafka").tags(tags).tag("table", table).tag("op", op)
                .register(registry));
    }

    /** LSN of the last acknowledged event, {@code -1} before the first. */
    public long ackedLsn() {
        return ackedLsn.get();
    }

    /** Commit time of the event at {@link #ackedLsn()}, or null before the first. */
    public Instant ackedCommitTime() {
        long micros = ackedCommitMicros.get();
        return micros < 0 ? null : Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    double sourceLagSeconds() {
        long micros = ackedCommitMicros.get();
        if (micros < 0) {
            return Double.NaN;
        }
        long nowMicros = ChronoUnit.MICROS.between(Instant.EPOCH, clock.instant());
        return Math.max(0, nowMicros - micros) / 1_000_000.0;
    }

    /** Counts a continuity reset written ({@code commitcast_cdc_continuity_resets_total{reason}}). */
    public void continuityReset(String reason) {
        continuityResets(reason).increment();
    }

    private Counter continuityResets(String reason) {
        return Counter.builder("commitcast.cdc.continuity.resets").tag("reason", reason).tags(tags)
                .description("Continuity resets written: the stream could not be proven continuous, every cache "
                        + "is invalidated").register(registry);
    }

    /** Exports {@code commitcast_rules_info{fingerprint}} (always 1): the rules this process runs. */
    public void rules(String fingerprint) {
        Gauge.builder("commitcast.rules.info", () -> 1).tag("fingerprint", fingerprint)
                .description("The fingerprint of the rules file this process runs").register(registry);
    }

    public void error(String kind) {
        errors(kind).increment();
    }

    private Counter errors(String kind) {
        return Counter.builder("commitcast.cdc.errors").description("Failures by kind").tags(tags).tag("kind", kind)
                .register(registry);
    }

    public void engineRestarting() {
        engineRestarts.increment();
    }

    public void startupRetry(String dependency) {
        startupRetries(dependency).increment();
    }

    private Counter startupRetries(String dependency) {
        return Counter.builder("commitcast.cdc.startup.retries").description("Start-up retries while a dependency is "
                + "unreachable").tags(tags).tag("dependency", dependency).register(registry);
    }

    public void streaming(boolean value) {
        streaming = value;
    }

    public void slotRetained(long bytes) {
        slotRetainedBytes.set(bytes);
    }

    @Override
    public void markerSent(WatermarkMarker marker, int records) {
        markers.increment(records);
    }

    @Override
    public void markerFailed(String topic, int partition, Exception error) {
        error("marker");
    }

    /** The commit-to-acknowledgement timer, e.g. for a latency probe reading its percentiles. */
    public Timer commitToAck() {
        return commitToAck;
    }
}
