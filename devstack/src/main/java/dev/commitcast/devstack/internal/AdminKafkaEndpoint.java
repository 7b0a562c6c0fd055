package dev.commitcast.devstack.internal;

import dev.commitcast.devstack.DevStackException;
import dev.commitcast.devstack.KafkaEndpoint;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** {@link KafkaEndpoint} backed by one lazily created {@link Admin}, closed with the stack. */
public final class AdminKafkaEndpoint implements KafkaEndpoint, AutoCloseable {
    private static final Duration RETRY = Duration.ofMillis(50);
    private static final Duration ATTEMPT = Duration.ofSeconds(5);
    private static final short REPLICATION_FACTOR = 1;

    private final String bootstrapServers;
    private final int defaultPartitions;
    private final Duration timeout;
    private Admin admin;
    private boolean closed;

    public AdminKafkaEndpoint(String bootstrapServers, int defaultPartitions, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.defaultPartitions = defaultPartitions;
        this.timeout = timeout;
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void createTopic(String name) {
        createTopic(name, defaultPartitions);
    }

    @Override
    public void createTopic(String name, int partitions) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Topic name is blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("Topic " + name + ": partitions is " + partitions + ", must be at least 1");
        }
        Deadline deadline = Deadline.after(timeout);
        try {
            admin().createTopics(List.of(new NewTopic(name, partitions, REPLICATION_FACTOR))).all()
                    .get(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new DevStackException("Could not create topic " + name + " on " + bootstrapServers + ": "
                        + e.getCause(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new DevStackException("Creating topic " + name + " on " + bootstrapServers + " took over " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException("Interrupted while creating topic " + name, e);
        }
        awaitLeaders(name, deadline);
    }

    private void awaitLeaders(String name, Deadline deadline) {
        while (!deadline.expired()) {
            try {
                TopicDescription description = admin().describeTopics(List.of(name)).allTopicNames()
                        .get(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS).get(name);
                if (description.partitions().stream().map(TopicPartitionInfo::leader)
                        .allMatch(leader -> leader != null && !leader.isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new DevStackException("Could not describe topic " + name + ": " + e.getCause(), e.getCause());
                }
            } catch (TimeoutException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevStackException("Interrupted while waiting for topic " + name, e);
            }
            deadline.pause(RETRY, "leaders of topic " + name);
        }
        throw new DevStackException("Topic " + name + " has partitions without a leader after " + timeout);
    }

    /** Returns once {@code describeCluster} lists a broker, or throws at the deadline. */
    public void awaitReady(Deadline deadline, Runnable livenessCheck) {
        Exception last = null;
        while (!deadline.expired()) {
            livenessCheck.run();
            try {
                long millis = Math.min(ATTEMPT.toMillis(), Math.max(1, deadline.remaining().toMillis()));
                Collection<Node> nodes = admin()
                        .describeCluster(new DescribeClusterOptions().timeoutMs((int) millis))
                        .nodes().get(millis, TimeUnit.MILLISECONDS);
                if (!nodes.isEmpty()) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevStackException("Interrupted while waiting for Kafka at " + bootstrapServers, e);
            }
            deadline.pause(RETRY, "Kafka at " + bootstrapServers);
        }
        throw new DevStackException("describeCluster on " + bootstrapServers + " listed no broker within "
                + deadline.budget() + (last == null ? "" : "; last error: " + last));
    }

    private synchronized Admin admin() {
        if (closed) {
            throw new IllegalStateException("The dev stack that owned Kafka " + bootstrapServers + " is closed");
        }
        if (admin == null) {
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    AdminClientConfig.CLIENT_ID_CONFIG, "commitcast-devstack",
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()),
                    AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200));
        }
        return admin;
    }

    /** Closes the client while the broker is down, so it does not retry in the background; reopened on demand. */
    public synchronized void releaseClient() {
        if (admin != null) {
            admin.close(Duration.ZERO);
            admin = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }

    @Override
    public String toString() {
        return bootstrapServers;
    }
}
