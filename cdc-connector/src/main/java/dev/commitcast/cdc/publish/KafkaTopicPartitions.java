package dev.commitcast.cdc.publish;

import dev.commitcast.cdc.CdcException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates change topics with the configured partition count if they are missing (never relying on broker
 * auto-creation) and remembers every topic's actual partition count. An existing topic is used as it is. Thread-safe.
 */
public final class KafkaTopicPartitions implements TopicPartitions {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopicPartitions.class);

    private final Admin admin;
    private final int partitions;
    private final short replicationFactor;
    private final Duration timeout;
    private final Map<String, Integer> known = new ConcurrentHashMap<>();

    /**
     * @param replicationFactor {@code -1} for the broker's default
     * @param timeout           bound of each admin call
     */
    public KafkaTopicPartitions(Admin admin, int partitions, short replicationFactor, Duration timeout) {
        this.admin = admin;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.timeout = timeout;
    }

    /**
     * Creates the missing topics among {@code topics} and records all of their partition counts.
     *
     * @throws CdcException if Kafka refuses or does not answer within the timeout
     */
    public synchronized void ensure(Collection<String> topics) {
        try {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, Optional.of(partitions),
                            replicationFactor < 0 ? Optional.empty() : Optional.of(replicationFactor)))
                    .toList();
            if (!missing.isEmpty()) {
                create(missing);
            }
            Map<String, TopicDescription> described = describe(topics);
            described.forEach((name, d) -> {
                int actual = d.partitions().size();
                if (actual != partitions && existing.contains(name)) {
                    LOG.warn("Topic {} exists with {} partitions, not the configured {}; using it as it is "
                            + "(a row's events stay in one partition either way)", name, actual, partitions);
                }
                known.put(name, actual);
            });
        } catch (ExecutionException e) {
            throw new CdcException("Cannot create or describe change topics " + topics + ": " + e.getCause(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new CdcException("Kafka did not create or describe change topics " + topics + " within "
                    + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CdcException("Interrupted while creating change topics " + topics, e);
        }
    }

    /**
     * Describes the topics, retrying retriable errors until the timeout: right after creating a topic the broker may
     * still answer {@code UnknownTopicOrPartitionException} while its metadata propagates.
     */
    private Map<String, TopicDescription> describe(Collection<String> topics)
            throws InterruptedException, TimeoutException, ExecutionException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 20;
        while (true) {
            long remaining = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            try {
                return admin.describeTopics(topics).allTopicNames().get(remaining, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                boolean retriable = e.getCause() instanceof RetriableException;
                if (!retriable || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMillis) > deadline) {
                    throw e;
                }
                LOG.info("Change topics {} are not visible yet ({}); describing again in {} ms", topics,
                        e.getCause().getClass().getSimpleName(), pauseMillis);
                Thread.sleep(pauseMillis);
                pauseMillis = Math.min(pauseMillis * 2, 500);
            }
        }
    }

    private void create(List<NewTopic> missing) throws InterruptedException, TimeoutException, ExecutionException {
        var results = admin.createTopics(missing).values();
        for (var entry : results.entrySet()) {
            try {
                entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("Created change topic {} ({} partitions)", entry.getKey(), partitions);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                // Created concurrently (another connector instance, an operator): use it as it is.
            }
        }
    }

    @Override
    public int partitions(String topic) {
        Integer n = known.get(topic);
        if (n == null) {
            LOG.info("First event for {}, which is not a known change topic: creating it", topic);
            ensure(List.of(topic));
            n = known.get(topic);
        }
        return n;
    }

    @Override
    public Map<String, Integer> all() {
        return new TreeMap<>(known);
    }

    @Override
    public String toString() {
        return known.entrySet().stream().map(e -> e.getKey() + "[" + e.getValue() + "]")
                .collect(Collectors.joining(", "));
    }
}
