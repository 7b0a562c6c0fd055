package dev.commitcast.cdc.publish;

import dev.commitcast.devstack.DevStack;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Regression: right after creating a topic, the broker may answer a describe with
 * {@code UnknownTopicOrPartitionException} while its metadata propagates. {@code ./commitcast up} hit this and the
 * connector refused to start; describing must retry such retriable errors.
 */
class KafkaTopicPartitionsIT {
    @Test
    void describeRetriesWhileANewTopicIsNotVisibleYet() {
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                DevStack.shared().kafka().bootstrapServers());
        AtomicInteger failuresLeft = new AtomicInteger(2);
        try (ForwardingAdmin admin = new ForwardingAdmin(config) {
            @Override
            public DescribeTopicsResult describeTopics(TopicCollection topics, DescribeTopicsOptions options) {
                if (failuresLeft.getAndDecrement() > 0) {
                    return notVisibleYet(((TopicCollection.TopicNameCollection) topics).topicNames());
                }
                return super.describeTopics(topics, options);
            }
        }) {
            KafkaTopicPartitions topics = new KafkaTopicPartitions(admin, 2, (short) -1, Duration.ofSeconds(30));
            String name = "it-describe-retry-" + System.nanoTime();

            topics.ensure(List.of(name));

            assertEquals(2, topics.partitions(name));
            assertEquals(-1, failuresLeft.get(), "two failed describes, then one that succeeded");
        }
    }

    private static DescribeTopicsResult notVisibleYet(java.util.Collection<String> names) {
        Map<String, KafkaFuture<TopicDescription>> futures = new HashMap<>();
        for (String name : names) {
            KafkaFutureImpl<TopicDescription> future = new KafkaFutureImpl<>();
            future.completeExceptionally(new UnknownTopicOrPartitionException("not visible yet: " + name));
            futures.put(name, future);
        }
        return new DescribeTopicsResult(null, futures) {
        };
    }
}
