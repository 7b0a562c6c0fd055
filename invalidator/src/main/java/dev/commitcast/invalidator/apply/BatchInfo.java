package dev.commitcast.invalidator.apply;

import dev.commitcast.core.Invalidation;
import org.apache.kafka.common.TopicPartition;

import java.util.Map;

/**
 * What an {@link ApplyHooks} callback learns about the batch at hand. Immutable.
 *
 * @param offsets      the batch's offsets per partition
 * @param invalidation what the batch invalidates (the union of its changes and fallbacks)
 * @param attempt      1 for the first attempt, then counting retries
 */
public record BatchInfo(Map<TopicPartition, OffsetRange> offsets, Invalidation invalidation, int attempt) {

    public BatchInfo {
        offsets = Map.copyOf(offsets);
    }
}
