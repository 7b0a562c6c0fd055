package dev.commitcast.cdc.publish;

import java.util.Map;

/** The change topics this connector writes and their partition counts. Thread-safe. */
public interface ChangeTopics {

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
    static ChangeTopics fixed(Map<String, Integer> topics) {
        Map<String, Integer> copy = Map.copyOf(topics);
        return new ChangeTopics() {
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
