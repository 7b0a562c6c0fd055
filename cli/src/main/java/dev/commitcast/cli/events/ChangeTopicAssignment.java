package dev.commitcast.cli.events;

import dev.commitcast.cli.platform.KafkaClients;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Keeps a group-less consumer assigned to every partition of the topics matching a pattern: at start every partition
 * is positioned at its end (only records produced from now on are read) or at its first record at or after a given
 * time; a partition that appears later (a topic created for a new table, partitions added) is read from its
 * beginning, since all of it is newer than the start.
 * Single-threaded, like the consumer.
 */
final class ChangeTopicAssignment {
    private final Consumer<byte[], byte[]> consumer;
    private final Pattern topics;
    private final Set<TopicPartition> assigned = new HashSet<>();

    ChangeTopicAssignment(Consumer<byte[], byte[]> consumer, Pattern topics) {
        this.consumer = consumer;
        this.topics = topics;
    }

    /**
     * Assigns every matching partition at its first record whose timestamp is at or after {@code time} (at its end
     * when there is none) and resolves the positions.
     */
    void startAt(Instant time) {
        List<TopicPartition> found = matching();
        consumer.assign(found);
        // The ends first: a partition with no record at or after the time starts at the end it had before the
        // search, so a record appended meanwhile is still read.
        Map<TopicPartition, Long> ends = consumer.endOffsets(found, KafkaClients.API_TIMEOUT);
        Map<TopicPartition, Long> query = new HashMap<>();
        found.forEach(partition -> query.put(partition, time.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query, KafkaClients.API_TIMEOUT);
        for (TopicPartition partition : found) {
            OffsetAndTimestamp at = offsets.get(partition);
            consumer.seek(partition, at == null ? ends.get(partition) : at.offset());
        }
        assigned.addAll(found);
    }

    /** Adds partitions that appeared since the last call, from their beginning; returns how many were added. */
    int addNew() {
        List<TopicPartition> added = matching().stream().filter(p -> !assigned.contains(p)).toList();
        if (added.isEmpty()) {
            return 0;
        }
        assigned.addAll(added);
        consumer.assign(List.copyOf(assigned));
        consumer.seekToBeginning(added);
        return added.size();
    }

    int partitions() {
        return assigned.size();
    }

    Set<String> topics() {
        Set<String> names = new TreeSet<>();
        assigned.forEach(partition -> names.add(partition.topic()));
        return names;
    }

    private List<TopicPartition> matching() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (Map.Entry<String, List<PartitionInfo>> topic : consumer.listTopics(KafkaClients.API_TIMEOUT).entrySet()) {
            if (topics.matcher(topic.getKey()).matches()) {
                topic.getValue().forEach(info -> partitions.add(new TopicPartition(topic.getKey(), info.partition())));
            }
        }
        return partitions;
    }
}
