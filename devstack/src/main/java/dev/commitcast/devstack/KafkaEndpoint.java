package dev.commitcast.devstack;

/**
 * How to reach the dev stack's Kafka (a single KRaft node: replication factor 1, topics auto-created on first use
 * with the stack's default partition count). Thread-safe.
 */
public interface KafkaEndpoint {

    /** {@code host:port[,host:port]} for {@code bootstrap.servers}. */
    String bootstrapServers();

    /**
     * Creates a topic with replication factor 1 if it does not exist yet (an existing topic is left as it is, even
     * with another partition count), and returns once every partition has a leader.
     *
     * @throws IllegalArgumentException if partitions is not positive
     * @throws DevStackException if the broker did not create the topic within the stack's start timeout
     */
    void createTopic(String name, int partitions);

    /** {@link #createTopic(String, int)} with the stack's default partition count. */
    void createTopic(String name);
}
