package dev.commitcast.cdc.testsupport;

import dev.commitcast.events.ContinuityReset;
import dev.commitcast.events.WatermarkMarker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every partition of some topics from the beginning (no consumer group) and keeps what it read, so a test can
 * wait for a record and look at what came before it. Not thread-safe; close it.
 */
public final class TopicTail implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();

    public TopicTail(String bootstrap, Collection<String> topics) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls until {@code predicate} matches a record read so far, or fails after {@code timeout}; returns it. */
    public ConsumerRecord<byte[], byte[]> await(String description, Duration timeout,
                                                Predicate<ConsumerRecord<byte[], byte[]>> predicate) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (ConsumerRecord<byte[], byte[]> r : seen) {
                if (predicate.test(r)) {
                    return r;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for " + description
                        + "; read " + seen.size() + " records: " + summary());
            }
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
    }

    /** Reads until every record matching {@code predicate} number at least {@code count}. */
    public List<ConsumerRecord<byte[], byte[]>> awaitCount(String description, Duration timeout, int count,
                                                           Predicate<ConsumerRecord<byte[], byte[]>> predicate) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ConsumerRecord<byte[], byte[]>> matching = seen.stream().filter(predicate).toList();
            if (matching.size() >= count) {
                return matching;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for " + count + " x "
                        + description + "; have " + matching.size() + " of " + seen.size() + " read: " + summary());
            }
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
    }

    /** Every record read so far, in read order (per partition: offset order). */
    public List<ConsumerRecord<byte[], byte[]>> seen() {
        return List.copyOf(seen);
    }

    /** A watermark marker. */
    public static boolean isMarker(ConsumerRecord<byte[], byte[]> r) {
        return WatermarkMarker.isMarker(r.headers());
    }

    /** A control record: a watermark marker or a continuity reset, not a change event. */
    public static boolean isControl(ConsumerRecord<byte[], byte[]> r) {
        return isMarker(r) || isReset(r);
    }

    /** A continuity reset. */
    public static boolean isReset(ConsumerRecord<byte[], byte[]> r) {
        return ContinuityReset.isReset(r.headers());
    }

    public static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private String summary() {
        Map<String, Long> byTopic = seen.stream().collect(Collectors.groupingBy(
                r -> r.topic() + "/" + r.partition() + (isControl(r) ? "(control)" : ""), Collectors.counting()));
        String last = seen.stream().filter(r -> !isControl(r)).skip(Math.max(0, seen.stream()
                .filter(r -> !isControl(r)).count() - 3)).map(r -> text(r.value())).collect(Collectors.joining("\n"));
        return byTopic + "\nlast non-marker values:\n" + last;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
