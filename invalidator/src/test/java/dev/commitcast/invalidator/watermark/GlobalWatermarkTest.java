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
    void newestKeepsTheLaterPerPartition() {
        Map<TopicPartition, Watermark> merged = GlobalWatermark.newest(Map.of(A0, w(30), A1, w(10)),
                Map.of(A0, w(20), B0, w(5)));
        assertEquals(Map.of(A0, w(30), A1, w(10), B0, w(5)), merged);
    }

    /**
     * After a continuity reset onto another database cluster LSNs start again lower; commit times keep increasing,
     * so a later watermark wins even with a lower LSN and the global watermark does not stick to the old stream.
     */
    @Test
    void watermarksAreOrderedByCommitTimeSoANewStreamWithLowerLsnsAdvances() {
        Watermark oldStream = new Watermark(900_000, Instant.parse("2026-12-04T10:00:00Z"));
        Watermark newStream = new Watermark(1_000, Instant.parse("2026-12-04T10:05:00Z"));
        assertEquals(Map.of(A0, newStream), GlobalWatermark.newest(Map.of(A0, oldStream), Map.of(A0, newStream)));
        assertEquals(Optional.of(oldStream), GlobalWatermark.of(Set.of(A0, A1), Map.of(A0, newStream, A1, oldStream)),
                "the earliest by commit time, not the lowest LSN");
        assertEquals(-1, oldStream.orderKey().compareTo(newStream.orderKey()) < 0 ? -1 : 1,
                "the order key sorts like isAfter");
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
