package dev.commitcast.invalidator.dlq;

import dev.commitcast.invalidator.apply.Await;
import dev.commitcast.invalidator.apply.RetriableStepException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * Produces dead letters to the DLQ topic: the original key, value and headers, plus headers naming the origin and
 * the error ({@link #ORIGINAL_TOPIC} ...). {@link #sendAll} returns only once the broker acknowledged every record,
 * so a batch's offsets are committed only after its dead letters are safe.
 *
 * <p>Idempotent producer with {@code acks=all} and bounded timeouts. Used by the consumer thread only.
 */
public final class DeadLetterPublisher implements AutoCloseable {

    public static final String ORIGINAL_TOPIC = "commitcast-dlq-original-topic";
    public static final String ORIGINAL_PARTITION = "commitcast-dlq-original-partition";
    public static final String ORIGINAL_OFFSET = "commitcast-dlq-original-offset";
    public static final String ORIGINAL_TIMESTAMP = "commitcast-dlq-original-timestamp";
    public static final String ERROR = "commitcast-dlq-error";
    public static final String ERROR_CLASS = "commitcast-dlq-error-class";
    /** Step name in retry logs and metrics. */
    public static final String STEP = "dlq";
    static final int MAX_ERROR_LENGTH = 2_000;

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Duration timeout;

    DeadLetterPublisher(Producer<byte[], byte[]> producer, String topic, Duration timeout) {
        this.producer = producer;
        this.topic = topic;
        this.timeout = timeout;
    }

    /**
     * Creates a publisher with its own producer.
     *
     * @param timeout bound of one {@link #sendAll} (also the producer's delivery timeout)
     */
    public static DeadLetterPublisher create(String bootstrap, String topic, String clientId, Duration timeout) {
        int timeoutMs = (int) timeout.toMillis();
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 10_000),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(timeoutMs, 10_000 + 1),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(timeoutMs, 10_000));
        return new DeadLetterPublisher(new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()),
                topic, timeout);
    }

    /** Returns the dead-letter topic. */
    public String topic() {
        return topic;
    }

    /**
     * Sends every pending dead letter and waits for the acknowledgements. Acknowledged letters are removed from
     * {@code pending}, so a retry after a failure sends only the rest.
     *
     * @return how many were acknowledged by this call
     * @throws RetriableStepException when some could not be sent; those stay in {@code pending}
     */
    public int sendAll(List<DeadLetter> pending) {
        if (pending.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(pending.size());
        try {
            for (DeadLetter letter : pending) {
                sent.add(producer.send(toRecord(letter)));
            }
        } catch (KafkaException e) {
            throw new RetriableStepException(STEP, "sending to " + topic + " failed: " + e, e);
        }
        int acked = 0;
        RetriableStepException failure = null;
        long deadline = System.nanoTime() + timeout.toNanos(); // one bound for the whole call, not per record
        Iterator<DeadLetter> letters = pending.iterator();
        for (Future<RecordMetadata> future : sent) {
            DeadLetter letter = letters.next();
            try {
                Duration remaining = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                RecordMetadata metadata = Await.result(future, remaining, STEP, "dead letter of " + letter.origin());
                LOG.warn("Dead-lettered {} to {}-{}@{}: {}", letter.origin(), metadata.topic(), metadata.partition(),
                        metadata.offset(), letter.error());
                letters.remove();
                acked++;
            } catch (RetriableStepException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return acked;
    }

    private ProducerRecord<byte[], byte[]> toRecord(DeadLetter letter) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : letter.record().headers()) {
            headers.add(header);
        }
        var original = letter.record();
        headers.add(ORIGINAL_TOPIC, utf8(original.topic()));
        headers.add(ORIGINAL_PARTITION, utf8(Integer.toString(original.partition())));
        headers.add(ORIGINAL_OFFSET, utf8(Long.toString(original.offset())));
        headers.add(ORIGINAL_TIMESTAMP, utf8(Long.toString(original.timestamp())));
        String error = letter.error();
        headers.add(ERROR, utf8(error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error));
        headers.add(ERROR_CLASS, utf8(letter.errorClass()));
        return new ProducerRecord<>(topic, null, original.key(), original.value(), headers);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
