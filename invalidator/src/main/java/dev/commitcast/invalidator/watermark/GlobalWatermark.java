package dev.commitcast.invalidator.watermark;

import dev.commitcast.core.Watermark;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The global watermark: the oldest of the partition watermarks over every partition of every change topic. A
 * change committed at or before it has been applied, whichever partition carries it. Unknown while the partition
 * set is unknown or some partition has no watermark yet (a partition without a marker could still hold anything).
 */
public final class GlobalWatermark {

    private GlobalWatermark() {
    }

    /** Returns the earliest ({@link Watermark#isAfter}) over all partitions, or empty; see the class documentation. */
    public static Optional<Watermark> of(Collection<TopicPartition> partitions, Map<TopicPartition, Watermark> known) {
        if (partitions.isEmpty()) {
            return Optional.empty();
        }
        Watermark min = null;
        for (TopicPartition partition : partitions) {
            Watermark w = known.get(partition);
            if (w == null) {
                return Optional.empty();
            }
            if (min == null || min.isAfter(w)) {
                min = w;
            }
        }
        return Optional.of(min);
    }

    /** Returns the union of both maps, keeping per partition the later watermark ({@link Watermark#isAfter}). */
    public static Map<TopicPartition, Watermark> newest(Map<TopicPartition, Watermark> a,
                                                        Map<TopicPartition, Watermark> b) {
        Map<TopicPartition, Watermark> result = new HashMap<>(a);
        b.forEach((partition, w) -> result.merge(partition, w, (x, y) -> y.isAfter(x) ? y : x));
        return result;
    }
}
