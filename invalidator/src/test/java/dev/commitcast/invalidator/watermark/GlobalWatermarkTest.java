package dev.commitcast.invalidator.watermark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.commitcast.core.Watermark;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class GlobalWatermarkTest {

    private static final TopicPartition A0 = new TopicPartition("cc.public.users", 0);
    private static final TopicPartition A1 = new TopicPartition("cc.public.users", 1);
    private static final TopicPartition B0 = new TopicPartition("cc.public.roles", 0);

    @Test
    void isTheMinimumOverAllPartitionsAndUnknownWhileOneHasNoMarker() {
        Map<TopicPartition, Watermark> known = Map.of(A0, w(30), A1, w(10), B0, w(20));
        assertEquals(Optional.of(w(10)), GlobalWatermark.of(Set.of(A0, A1, B0), known));
        assertEquals(Optional.empty(), GlobalWatermark.of(Set.of(A0, A1, B0, new TopicPartition("x", 0)), known));
        assertEquals(Optional.empty(), GlobalWatermark.of(Set.of(), known));
    }

    @Test
    void newestKeepsTheHigherLsnPerPartition() {
        Map<TopicPartition, Watermark> merged = GlobalWatermark.newest(Map.of(A0, w(30), A1, w(10)),
                Map.of(A0, w(20), B0, w(5)));
        assertEquals(Map.of(A0, w(30), A1, w(10), B0, w(5)), merged);
    }

    @Test
    void hashFieldsRoundTrip() {
        assertEquals(A1, PartitionWatermarks.parseField(PartitionWatermarks.field(A1)));
        assertNull(PartitionWatermarks.parseField("no-slash"));
        assertNull(PartitionWatermarks.parseField("topic/x"));
    }

    private static Watermark w(long lsn) {
        return new Watermark(lsn, Instant.ofEpochSecond(lsn));
    }
}
