package dev.commitcast.cdc.publish;

import java.util.Map;

/**
 * The partition count of each change topic this connector writes (the names come from
 * {@link dev.commitcast.events.ChangeTopics}). Thread-safe.
 */
public interface TopicPartitions {

    /**
     * The partition count of a change topic, creating the topic first if it is new (a table added to the
     * publication while running).
     *
     * @throws dev.commitcast.cdc.CdcException if the topic cannot be created or described
     */
    int partitions(String topic);

    /** Every known change topic with its partition count (a snapshot). */
    Map<String, Integer> all();

    /** A fixed set, for tests. */
    static TopicPartitions fixed(Map<String, Integer> topics) {
        Map<String, Integer> copy = Map.copyOf(topics);
        return new TopicPartitions() {
            @Override
            public int partitions(String topic) {
                Integer n = copy.get(topic);
                if (n == null) {
                    throw new IllegalArgumentException("unknown topic " + topic);
                }
                return n;
            }

            @Override
            public Map<String, Integer> all() {
                return copy;
            }
        };
    }
}
