package dev.commitcast.cli.events;

import dev.commitcast.cli.platform.KafkaClients;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads every partition of one topic from an offset or a time up to the end offsets it found when it opened (records
 * produced later are not read, so a replay always ends). Uses {@code assign()} without a consumer group: it never
 * commits and never touches the invalidator's group. Single-threaded.
 */
public final class TopicEventSource implements EventSource {
    /** A source that has received nothing for this long while records are still due gives up. */
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Consumer<byte[], byte[]> consumer;
    private final String description;
    private final Map<TopicPartition, Long> end;
    private final Set<TopicPartition> remaining;
    private final Deque<ConsumerRecord<byte[], byte[]>> buffer = new ArrayDeque<>();

    private TopicEventSource(Consumer<byte[], byte[]> consumer, String description, Map<TopicPartition, Long> end,
                             Set<TopicPartition> remaining) {
        this.consumer = consumer;
        this.description = description;
        this.end = end;
        this.remaining = remaining;
    }

    /**
     * Positions the consumer: at {@code fromOffset} in every partition (at least its first offset), or at the first
     * record at or after {@code fromTime}; exactly one of them is non-null. Closes the consumer when it fails.
     *
     * @throws IllegalStateException when the topic does not exist or Kafka cannot be reached
     */
    public static TopicEventSource open(Consumer<byte[], byte[]> consumer, String bootstrap, String topic,
                                        Long fromOffset, Instant fromTime) {
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, KafkaClients.API_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist in Kafka at " + bootstrap);
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, KafkaClients.API_TIMEOUT);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, KafkaClients.API_TIMEOUT);
            Map<TopicPartition, Long> start = fromOffset != null ? fromOffset(partitions, begin, fromOffset)
                    : fromTime(consumer, partitions, end, fromTime);
            Set<TopicPartition> remaining = new HashSet<>();
            for (TopicPartition partition : partitions) {
                long first = start.get(partition);
                if (first < end.get(partition)) {
                    consumer.seek(partition, first);
                    remaining.add(partition);
                }
            }
            consumer.pause(partitions.stream().filter(p -> !remaining.contains(p)).toList());
            String from = fromOffset != null ? "offset " + fromOffset : "time " + fromTime;
            return new TopicEventSource(consumer, topic + " from " + from + " to its current end", Map.copyOf(end),
                    remaining);
        } catch (KafkaException e) {
            consumer.close(Duration.ofSeconds(1));
            throw new IllegalStateException(KafkaClients.unreachable(bootstrap, e), e);
        } catch (RuntimeException e) {
            consumer.close(Duration.ofSeconds(1));
            throw e;
        }
    }

    private static Map<TopicPartition, Long> fromOffset(List<TopicPartition> partitions,
                                                        Map<TopicPartition, Long> begin, long offset) {
        Map<TopicPartition, Long> start = new HashMap<>();
        partitions.forEach(p -> start.put(p, Math.max(offset, begin.get(p))));
        return start;
    }

    private static Map<TopicPartition, Long> fromTime(Consumer<byte[], byte[]> consumer,
                                                      List<TopicPartition> partitions, Map<TopicPartition, Long> end,
                                                      Instant time) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, time.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, KafkaClients.API_TIMEOUT);
        Map<TopicPartition, Long> start = new HashMap<>();
        partitions.forEach(p -> {
            OffsetAndTimestamp at = found.get(p);
            start.put(p, at == null ? end.get(p) : at.offset());
        });
        return start;
    }

    @Override
    public SourcedEvent next() {
        long stallDeadline = System.nanoTime() + STALL_TIMEOUT.toNanos();
        while (buffer.isEmpty()) {
            if (remaining.isEmpty()) {
                return null;
            }
            if (System.nanoTime() - stallDeadline > 0) {
                throw new IllegalStateException("no records from " + remaining + " for " + STALL_TIMEOUT
                        + " although their end offsets were not reached; is Kafka still up?");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() < end.get(partition)) {
                    buffer.add(record);
                }
            }
            for (TopicPartition partition : Set.copyOf(remaining)) {
                if (consumer.position(partition, KafkaClients.API_TIMEOUT) >= end.get(partition)) {
                    remaining.remove(partition);
                    consumer.pause(List.of(partition));
                }
            }
        }
        return SourcedEvent.ofKafka(EventRecord.of(buffer.poll()));
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
