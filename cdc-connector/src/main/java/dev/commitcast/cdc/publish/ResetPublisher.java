package dev.commitcast.cdc.publish;

import dev.commitcast.cdc.CdcException;
import dev.commitcast.events.ContinuityReset;
import dev.commitcast.events.WatermarkMarker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes a {@link ContinuityReset} to every partition of every change topic and returns only once Kafka acknowledged
 * each, so no change streamed afterwards can overtake it in any partition. Thread-safe.
 */
public final class ResetPublisher {

    private final Producer<byte[], byte[]> producer;
    private final TopicPartitions topics;
    private final Duration timeout;

    public ResetPublisher(Producer<byte[], byte[]> producer, TopicPartitions topics, Duration timeout) {
        this.producer = producer;
        this.topics = topics;
        this.timeout = timeout;
    }

    /**
     * @throws CdcException when a partition did not acknowledge within the timeout (retriable: the check that asked
     *                      for the reset finds the break again)
     */
    public void publish(ContinuityReset reset) {
        byte[] value = reset.toJson();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (Map.Entry<String, Integer> topic : topics.all().entrySet()) {
            for (int p = 0; p < topic.getValue(); p++) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(WatermarkMarker.HEADER, ContinuityReset.HEADER_VALUE.getBytes(StandardCharsets.UTF_8));
                sent.add(producer.send(new ProducerRecord<>(topic.getKey(), p, null, null, value, headers)));
            }
        }
        producer.flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Future<RecordMetadata> ack : sent) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CdcException("Interrupted while writing continuity reset " + reset.id(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new CdcException("Kafka did not acknowledge continuity reset " + reset.id() + " within "
                    + timeout.toSeconds() + " s: " + e.getMessage(), e);
        }
    }
}
