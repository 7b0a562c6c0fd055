package dev.commitcast.cli.status;

import dev.commitcast.cli.platform.KafkaClients;
import dev.commitcast.cli.platform.Failures;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Counts the records in the dead-letter topic: the sum over its partitions of end minus start offset (what retention
 * has not deleted yet). A topic that does not exist yet holds 0 (the invalidator creates it with its first dead
 * letter). Keeps one admin client across refreshes. Not thread-safe.
 */
final class DlqTopicSize implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final String bootstrap;
    private final String topic;
    private Admin admin;

    DlqTopicSize(String bootstrap, String topic) {
        this.bootstrap = bootstrap;
        this.topic = topic;
    }

    /** @throws IllegalStateException when Kafka cannot be asked */
    long records() {
        if (admin == null) {
            admin = KafkaClients.admin(bootstrap, TIMEOUT);
        }
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            description.partitions().forEach(p -> {
                earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
                latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
            });
            return sum(admin.listOffsets(latest)) - sum(admin.listOffsets(earliest));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return 0;
            }
            throw failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(e);
        } catch (Exception e) {
            throw failed(e);
        }
    }

    private static long sum(ListOffsetsResult result) throws Exception {
        long total = 0;
        for (ListOffsetsResult.ListOffsetsResultInfo info : result.all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .values()) {
            total += info.offset();
        }
        return total;
    }

    private IllegalStateException failed(Exception e) {
        return new IllegalStateException("kafka " + bootstrap + ": cannot size " + topic + ": "
                + Failures.rootMessage(e), e);
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }
}
