package dev.commitcast.cdc.publish;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's batch handler: publishes a batch of change events to Kafka and only then lets the engine commit their
 * offsets.
 *
 * <p>For each batch: every change event is sent to its table's topic, keyed by Debezium's key JSON (the primary key),
 * so a row's events stay ordered in one partition; events without a key (TRUNCATE) go to every partition of the
 * topic, so each partition sees the truncate in order with its rows. Then it waits for every acknowledgement, and only
 * after all arrived marks each record processed and the batch finished. If any send fails or is not acknowledged in
 * time it throws {@link PublishException} without marking anything: the engine stops without committing, and the next
 * run replays the batch (at-least-once; duplicates are possible, loss is not).
 *
 * <p>Before anything of a batch is sent, {@link CommitVisibility} holds it until every transaction in it is visible to
 * readers: an invalidation applied while the old row is still the one readers see would be undone by their fills.
 *
 * <p>Heartbeat records and our heartbeat messages are not published; they are marked processed with the batch, which
 * moves the offset (and the slot) forward on an idle database. Called by the engine on one thread at a time.
 */
public final class ChangePublisher implements DebeziumEngine.ChangeConsumer<ChangeEvent<byte[], byte[]>> {
    private static final Logger LOG = LoggerFactory.getLogger(ChangePublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final TopicPartitions topics;
    private final EventDecoder decoder;
    private final CommitVisibility visibility;
    private final Duration ackTimeout;
    private final PublishListener listener;
    private final Clock clock;

    /**
     * @param ackTimeout how long to wait for the batch's acknowledgements; longer than the producer's
     *                   {@code delivery.timeout.ms}, which bounds them already
     */
    public ChangePublisher(Producer<byte[], byte[]> producer, TopicPartitions topics, EventDecoder decoder,
                           CommitVisibility visibility, Duration ackTimeout, PublishListener listener, Clock clock) {
        this.producer = producer;
        this.topics = topics;
        this.decoder = decoder;
        this.visibility = visibility;
        this.ackTimeout = ackTimeout;
        this.listener = listener;
        this.clock = clock;
    }

    @Override
    public void handleBatch(List<ChangeEvent<byte[], byte[]>> records,
                            DebeziumEngine.RecordCommitter<ChangeEvent<byte[], byte[]>> committer)
            throws InterruptedException {
        long handedOverMicros = ChronoUnit.MICROS.between(Instant.EPOCH, clock.instant());
        List<DecodedEvent> decoded = new ArrayList<>(records.size());
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        try {
            for (ChangeEvent<byte[], byte[]> record : records) {
                decoded.add(decoder.decode(record.destination(), record.value()));
            }
            listener.batchDecoded(decoded, handedOverMicros);
            visibility.awaitVisible(transactions(decoded));
            for (int i = 0; i < records.size(); i++) {
                if (decoded.get(i).kind() == DecodedEvent.Kind.CHANGE) {
                    send(records.get(i), acks);
                }
            }
            awaitAcks(acks);
        } catch (InterruptedException e) {
            // Shutdown: nothing of this batch is marked, so nothing of it is committed.
            throw e;
        } catch (RuntimeException | ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            PublishException failure = new PublishException("Publishing a batch of " + records.size()
                    + " events failed after " + acks.size() + " sends; its offsets are not committed and the engine "
                    + "restarts from the last committed offset: " + cause, cause);
            listener.publishFailed(failure);
            throw failure;
        }
        for (ChangeEvent<byte[], byte[]> record : records) {
            committer.markProcessed(record);
        }
        committer.markBatchFinished();
        listener.batchAcked(decoded, ChronoUnit.MICROS.between(Instant.EPOCH, clock.instant()));
    }

    /** The transaction ids of the batch's changes (a batch holds few transactions; duplicates are harmless). */
    private static long[] transactions(List<DecodedEvent> events) {
        long[] ids = new long[events.size()];
        int n = 0;
        long previous = Long.MIN_VALUE;
        for (DecodedEvent e : events) {
            if (e.kind() == DecodedEvent.Kind.CHANGE && e.txId() >= 0 && e.txId() != previous) {
                ids[n++] = e.txId();
                previous = e.txId();
            }
        }
        return Arrays.copyOf(ids, n);
    }

    private void send(ChangeEvent<byte[], byte[]> record, List<Future<RecordMetadata>> acks) {
        String topic = record.destination();
        if (record.key() != null) {
            acks.add(producer.send(new ProducerRecord<>(topic, record.key(), record.value())));
            return;
        }
        int partitions = topics.partitions(topic);
        for (int p = 0; p < partitions; p++) {
            acks.add(producer.send(new ProducerRecord<>(topic, p, null, record.value())));
        }
    }

    private void awaitAcks(List<Future<RecordMetadata>> acks)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + ackTimeout.toNanos();
        for (Future<RecordMetadata> ack : acks) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0 && !ack.isDone()) {
                throw new TimeoutException("no acknowledgement within " + ackTimeout.toMillis() + " ms");
            }
            ack.get(Math.max(remaining, 0), TimeUnit.NANOSECONDS);
        }
        if (LOG.isTraceEnabled()) {
            LOG.trace("{} sends acknowledged", acks.size());
        }
    }

    /** A change consumer must say so to receive tombstones; we disable them ({@code tombstones.on.delete=false}). */
    @Override
    public boolean supportsTombstoneEvents() {
        return false;
    }
}
