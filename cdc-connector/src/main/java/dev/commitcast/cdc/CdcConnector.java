package dev.commitcast.cdc;

import dev.commitcast.cdc.continuity.StreamContinuity;
import dev.commitcast.cdc.engine.EngineSupervisor;
import dev.commitcast.cdc.engine.FailureClassifier;
import dev.commitcast.cdc.engine.Preflight;
import dev.commitcast.core.Rules;
import dev.commitcast.events.WatermarkMarker;
import dev.commitcast.cdc.health.CdcMetrics;
import dev.commitcast.cdc.health.SlotRetentionPoller;
import dev.commitcast.cdc.publish.ResetPublisher;
import dev.commitcast.cdc.publish.ChangePublisher;
import dev.commitcast.cdc.publish.CommitVisibility;
import dev.commitcast.cdc.publish.PostgresSnapshots;
import dev.commitcast.cdc.publish.DecodedEvent;
import dev.commitcast.cdc.publish.EventDecoder;
import dev.commitcast.cdc.publish.KafkaTopicPartitions;
import dev.commitcast.cdc.publish.KafkaClients;
import dev.commitcast.cdc.publish.MarkerEmitter;
import dev.commitcast.cdc.publish.PublishListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams committed changes of the publication's tables from Postgres to Kafka, in-process: the Debezium embedded
 * engine with the Postgres connector (pgoutput), our own idempotent producer, and watermark markers (see
 * {@link WatermarkMarker}).
 *
 * <p>Usage: {@link #create} (or {@link #fromProperties}), {@link #start()}, and finally {@link #close()}. After
 * {@code start()} returns, the start-up checks passed and the change topics exist; changes are captured once
 * {@link #awaitStreaming} returns true (the replication slot exists from then on, and keeps changes while the
 * connector is down). Change events reach Kafka at least once: offsets are committed only for records Kafka
 * acknowledged. Methods are thread-safe.
 */
public final class CdcConnector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CdcConnector.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** A batch held this long for a commit to become visible is logged (the hold itself is a gauge). */
    private static final Duration VISIBILITY_WARN_AFTER = Duration.ofSeconds(5);

    private final CdcSettings settings;
    private final Clock clock;
    private final CdcMetrics metrics;
    private final CountDownLatch closeSignal = new CountDownLatch(1);
    private final CountDownLatch streamingSignal = new CountDownLatch(1);

    private volatile CdcStatus.State state = CdcStatus.State.NEW;
    private volatile String lastError;
    private volatile dev.commitcast.events.ContinuityReset lastReset;
    private volatile boolean producerHealthy = true;
    private final AtomicLong restarts = new AtomicLong();

    private Admin admin;
    private volatile KafkaTopicPartitions topics;
    private KafkaProducer<byte[], byte[]> producer;
    private ScheduledThreadPoolExecutor markerThread;
    private ScheduledThreadPoolExecutor slotPollerThread;
    private MarkerEmitter markers;
    private SlotRetentionPoller slotPoller;
    private PostgresSnapshots snapshots;
    private volatile EngineSupervisor supervisor;
    private volatile Rules rules;

    private CdcConnector(CdcSettings settings, MeterRegistry registry, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.metrics = new CdcMetrics(registry, clock, settings.slotName());
    }

    /** A connector reporting to {@code registry}; nothing starts before {@link #start()}. */
    public static CdcConnector create(CdcSettings settings, MeterRegistry registry, Clock clock) {
        return new CdcConnector(settings, registry, clock);
    }

    /**
     * A connector from a flat properties map ({@link CdcSettings#fromMap}) with its own meter registry.
     *
     * @throws IllegalArgumentException naming the invalid key and value
     */
    public static CdcConnector fromProperties(Map<String, String> properties) {
        return create(CdcSettings.fromMap(properties), new SimpleMeterRegistry(), Clock.systemUTC());
    }

    /**
     * Runs the start-up checks (retrying unreachable servers until {@link CdcSettings#startupTimeout()}), creates
     * missing change topics and starts the engine on its own thread.
     *
     * @throws CdcStartupException with an actionable message when the connector cannot start; nothing keeps running
     * @throws IllegalStateException if called twice
     */
    public void start() {
        synchronized (this) {
            if (state != CdcStatus.State.NEW) {
                throw new IllegalStateException("start() was already called; state " + state);
            }
            state = CdcStatus.State.STARTING;
        }
        LOG.info("Starting change data capture: {}", settings);
        try {
            rules = Rules.load(settings.rules());
            LOG.info("Rules {}: {} kinds, {} tables, fingerprint {}", rules.source(), rules.kinds().size(),
                    rules.tables().size(), rules.fingerprint());
            metrics.rules(rules.fingerprint());
            // The long part (waiting for unreachable servers) runs unlocked, so close() can cut it short.
            Preflight.Result checked = new Preflight(settings, rules,
                    delay -> !closeSignal.await(delay.toMillis(), TimeUnit.MILLISECONDS), metrics::startupRetry).run();
            synchronized (this) {
                if (closeSignal.getCount() == 0) {
                    throw new CdcStartupException("Closed during start-up");
                }
                startStreaming(checked.changeTopics(), checked.columnIncludeList());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(e);
            throw new CdcStartupException("Interrupted during start-up", e);
        } catch (RuntimeException e) {
            fail(e);
            if (e instanceof CdcStartupException) {
                throw e;
            }
            throw new CdcStartupException("Cannot start change data capture: " + e.getMessage(), e);
        }
    }

    private void fail(Exception e) {
        releaseResources();
        state = CdcStatus.State.FAILED;
        lastError = e.getMessage();
    }

    private void startStreaming(List<String> changeTopics, java.util.Optional<String> columnIncludeList) {
        prepareDataDir();
        admin = KafkaClients.admin(settings.kafkaBootstrap(), "commitcast-cdc-admin-" + settings.slotName(),
                Duration.ofSeconds(30));
        topics = new KafkaTopicPartitions(admin, settings.partitions(), settings.replicationFactor(),
                Duration.ofSeconds(30));
        topics.ensure(changeTopics);
        producer = KafkaClients.producer(settings);
        // Markers and the slot monitor each get a thread: a marker send blocked on an unreachable broker must not
        // stop the WAL-retention gauge, and neither may ever block the engine.
        markerThread = daemonScheduler("commitcast-cdc-markers");
        markers = new MarkerEmitter(producer, topics, settings.heartbeatInterval(), clock,
                (task, delay) -> markerThread.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS), metrics,
                rules.fingerprint());
        slotPoller = new SlotRetentionPoller(settings, metrics);
        slotPollerThread = daemonScheduler("commitcast-cdc-slot-monitor");
        slotPollerThread.scheduleWithFixedDelay(slotPoller::poll, 0, settings.slotPollInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        snapshots = new PostgresSnapshots(settings.jdbcUrl(),
                settings.jdbcProperties("commitcast-cdc-visibility", 5, 30));
        ChangePublisher publisher = new ChangePublisher(producer, topics,
                new EventDecoder(settings.messageTopic(), settings.heartbeatTopic()),
                new CommitVisibility(snapshots, VISIBILITY_WARN_AFTER, metrics),
                settings.deliveryTimeout().plusSeconds(5), new Acks(), clock);
        ResetPublisher resets = new ResetPublisher(producer, topics, settings.deliveryTimeout());
        StreamContinuity continuity = new StreamContinuity(settings, rules.fingerprint(), resets::publish, reset -> {
            lastReset = reset;
            metrics.continuityReset(reset.reason());
        }, clock);
        supervisor = new EngineSupervisor(settings, columnIncludeList, publisher, new Lifecycle(), continuity);
        supervisor.termination().whenComplete((ok, error) -> {
            if (error != null) {
                state = CdcStatus.State.FAILED;
                lastError = error.getMessage();
            }
        });
        supervisor.start();
    }

    private static ScheduledThreadPoolExecutor daemonScheduler(String name) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().daemon().name(name).unstarted(r));
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private void prepareDataDir() {
        if (settings.offsetStore() != CdcSettings.OffsetStore.FILE) {
            return;
        }
        try {
            Files.createDirectories(settings.dataDir());
        } catch (IOException e) {
            throw new CdcStartupException("Cannot create commitcast.cdc.data-dir = \"" + settings.dataDir()
                    + "\" for the offset file: " + e.getMessage() + ". Point it at a writable directory.", e);
        }
    }

    /**
     * Waits until the engine streams, i.e. changes committed from now on will be captured.
     *
     * @return false if it did not within {@code timeout}
     */
    public boolean awaitStreaming(Duration timeout) throws InterruptedException {
        return streamingSignal.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes when the connector stopped: normally after {@link #close()}, exceptionally on a permanent failure. */
    public CompletionStage<Void> termination() {
        EngineSupervisor s = supervisor;
        if (s == null) {
            throw new IllegalStateException("not started");
        }
        return s.termination();
    }

    public CdcStatus status() {
        return new CdcStatus(state, metrics.ackedLsn(), Optional.ofNullable(metrics.ackedCommitTime()), restarts.get(),
                producerHealthy, Optional.ofNullable(lastError), Optional.ofNullable(lastReset));
    }

    /** The change topics and their partition counts (empty before {@link #start()}). */
    public Map<String, Integer> changeTopics() {
        KafkaTopicPartitions t = topics;
        return t == null ? Map.of() : t.all();
    }

    public CdcSettings settings() {
        return settings;
    }

    /** The connector's meters (see {@link CdcMetrics}). */
    public CdcMetrics metrics() {
        return metrics;
    }

    /**
     * Stops the engine (committing the offsets of acknowledged records), flushes and closes the producer. Idempotent;
     * waits up to 30 s.
     */
    @Override
    public void close() {
        closeSignal.countDown();
        EngineSupervisor running;
        synchronized (this) {
            if (state == CdcStatus.State.STOPPED) {
                return;
            }
            running = supervisor;
        }
        LOG.info("Stopping change data capture (slot {})", settings.slotName());
        if (running != null) {
            running.close(CLOSE_TIMEOUT);
        }
        releaseResources();
        metrics.streaming(false);
        synchronized (this) {
            if (state != CdcStatus.State.FAILED) {
                state = CdcStatus.State.STOPPED;
            }
        }
        LOG.info("Change data capture stopped (slot {}, last acknowledged LSN {})", settings.slotName(),
                metrics.ackedLsn() < 0 ? "none" : WatermarkMarker.pgLsn(metrics.ackedLsn()));
    }

    private synchronized void releaseResources() {
        if (markers != null) {
            markers.close();
        }
        if (markerThread != null) {
            markerThread.shutdownNow();
        }
        if (slotPollerThread != null) {
            slotPollerThread.shutdownNow();
        }
        if (slotPoller != null) {
            slotPoller.close();
        }
        if (snapshots != null) {
            snapshots.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
            producer = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }

    /** Wires acknowledged batches to metrics, status and markers. */
    private final class Acks implements PublishListener {
        @Override
        public void batchDecoded(List<DecodedEvent> events, long decodedMicros) {
            metrics.batchDecoded(events, decodedMicros);
        }

        @Override
        public void batchAcked(List<DecodedEvent> events, long ackMicros) {
            producerHealthy = true;
            metrics.batchAcked(events, ackMicros);
            long lsn = -1;
            long commitMicros = -1;
            for (DecodedEvent e : events) {
                if (e.hasPosition() && e.lsn() > lsn) {
                    lsn = e.lsn();
                    commitMicros = e.commitMicros();
                }
            }
            if (lsn >= 0) {
                markers.offer(lsn, commitMicros);
            }
        }

        @Override
        public void publishFailed(Throwable cause) {
            producerHealthy = false;
            lastError = cause.getMessage();
            metrics.error("publish");
        }
    }

    /** Wires the engine's lifecycle to status and metrics. */
    private final class Lifecycle implements EngineSupervisor.Observer {
        @Override
        public void connecting() {
            state = CdcStatus.State.CONNECTING;
        }

        @Override
        public void streaming() {
            state = CdcStatus.State.STREAMING;
            metrics.streaming(true);
            streamingSignal.countDown();
            LOG.info("Streaming changes of publication {} via slot {} to topics {}", settings.publication(),
                    settings.slotName(), topics);
        }

        @Override
        public void failed(FailureClassifier.Failure failure, Optional<Duration> retryIn) {
            metrics.streaming(false);
            metrics.error("engine");
            lastError = failure.summary();
            if (retryIn.isPresent()) {
                restarts.incrementAndGet();
                metrics.engineRestarting();
                state = CdcStatus.State.RETRYING;
            } else {
                state = CdcStatus.State.FAILED;
            }
        }
    }
}
