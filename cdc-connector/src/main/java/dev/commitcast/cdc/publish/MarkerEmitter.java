package dev.commitcast.cdc.publish;

import dev.commitcast.events.WatermarkMarker;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@link WatermarkMarker}s to every partition of every change topic once events up to a position have been
 * acknowledged.
 *
 * <p>{@link #offer} is called after each acknowledged batch with the highest position in it. Only acknowledged
 * positions are offered, and a marker is sent after its position was offered, so a marker never claims a change that
 * was not yet produced. The emitter keeps the maximum offered position (a change's own LSN can be lower than one seen
 * earlier, see {@link WatermarkMarker}) and sends at most one set of markers per interval: the first offer after a
 * quiet interval is sent at once; offers within the interval are coalesced into one trailing set when it ends, so the
 * last position before the stream goes idle is always published. Sets are produced on the scheduler's thread, never
 * the caller's. Markers are advisory: a failed marker send is counted and logged, and the next set supersedes it.
 * Thread-safe.
 */
public final class MarkerEmitter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MarkerEmitter.class);

    /** Runs a task after a delay; a seam so tests control time. */
    @FunctionalInterface
    public interface Scheduler {
        Future<?> schedule(Runnable task, Duration delay);
    }

    /** Observes marker sends, for metrics. */
    public interface Listener {
        void markerSent(WatermarkMarker marker, int records);

        void markerFailed(String topic, int partition, Exception error);
    }

    private final Producer<byte[], byte[]> producer;
    private final TopicPartitions topics;
    private final Duration interval;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Listener listener;

    private long bestLsn = -1;
    private long bestCommitMicros = -1;
    private long sentLsn = -1;
    private Instant lastSentAt = Instant.MIN;
    private Future<?> pending;
    private boolean closed;
    private final String rulesFingerprint;

    /**
     * @param rulesFingerprint the fingerprint of the rules the connector runs, written into every marker so an
     *                         invalidator with other rules does not vouch for positions reached under these
     */
    public MarkerEmitter(Producer<byte[], byte[]> producer, TopicPartitions topics, Duration interval, Clock clock,
                         Scheduler scheduler, Listener listener, String rulesFingerprint) {
        this.rulesFingerprint = rulesFingerprint;
        this.producer = producer;
        this.topics = topics;
        this.interval = interval;
        this.clock = clock;
        this.scheduler = scheduler;
        this.listener = listener;
    }

    /**
     * A position whose events (and every event before it in the stream) Kafka has acknowledged. Never blocks on
     * Kafka: markers are produced on the scheduler's thread, so a broker outage cannot stall the engine through them.
     *
     * @param lsn          WAL position
     * @param commitMicros commit time, epoch microseconds
     */
    public synchronized void offer(long lsn, long commitMicros) {
        if (closed) {
            return;
        }
        if (lsn > bestLsn) {
            bestLsn = lsn;
            bestCommitMicros = commitMicros;
        }
        if (bestLsn <= sentLsn || pending != null) {
            return;
        }
        Duration sinceLast = lastSentAt == Instant.MIN ? interval : Duration.between(lastSentAt, clock.instant());
        Duration delay = sinceLast.compareTo(interval) >= 0 ? Duration.ZERO : interval.minus(sinceLast);
        pending = scheduler.schedule(this::sendPending, delay);
    }

    private void sendPending() {
        WatermarkMarker marker;
        synchronized (this) {
            pending = null;
            if (closed || bestLsn <= sentLsn) {
                return;
            }
            Instant now = clock.instant();
            marker = WatermarkMarker.ofMicros(bestLsn, bestCommitMicros, now, rulesFingerprint);
            sentLsn = bestLsn;
            lastSentAt = now;
        }
        publish(marker);
    }

    /** Sends one set outside the lock; {@code send} may block up to the producer's {@code max.block.ms}. */
    private void publish(WatermarkMarker marker) {
        byte[] value = marker.toJson();
        int records = 0;
        for (Map.Entry<String, Integer> topic : topics.all().entrySet()) {
            for (int p = 0; p < topic.getValue(); p++) {
                if (!send(topic.getKey(), p, value)) {
                    LOG.warn("Watermark marker set for lsn {} abandoned after {} records: Kafka did not accept "
                            + "{}/{}; the next set supersedes it", marker.lsn(), records, topic.getKey(), p);
                    return;
                }
                records++;
            }
        }
        listener.markerSent(marker, records);
        LOG.debug("Watermark markers sent: lsn {} ({}) to {} partitions", marker.lsn(),
                WatermarkMarker.pgLsn(marker.lsn()), records);
    }

    private boolean send(String topic, int partition, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(WatermarkMarker.HEADER, WatermarkMarker.HEADER_VALUE.getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(new ProducerRecord<>(topic, partition, null, null, value, headers), (metadata, error) -> {
                if (error != null) {
                    listener.markerFailed(topic, partition, error);
                }
            });
            return true;
        } catch (RuntimeException e) {
            listener.markerFailed(topic, partition, e);
            return false;
        }
    }

    /** The LSN of the last marker set sent, {@code -1} before the first. */
    public synchronized long sentLsn() {
        return sentLsn;
    }

    /** Stops sending; a pending set is dropped. */
    @Override
    public synchronized void close() {
        closed = true;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
