package dev.commitcast.events;

import dev.commitcast.core.Watermark;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WatermarkMarkerTest {

    private static final Instant COMMIT = Instant.parse("2026-11-23T01:02:03.456789Z");

    @Test
    void jsonIsTheDocumentedWireFormat() {
        WatermarkMarker m = WatermarkMarker.ofMicros(30_969_616L, 1_795_395_093_831_127L,
                Instant.parse("2026-11-23T00:51:33.990012Z"), "3f2a9c0e11b2d4a7");
        assertEquals("{\"lsn\":30969616,\"pgLsn\":\"0/1D88F10\",\"commitTs\":1795395093831127,"
                + "\"emittedTs\":1795395093990012,\"rules\":\"3f2a9c0e11b2d4a7\"}",
                new String(m.toJson(), StandardCharsets.UTF_8));
        assertEquals(Instant.parse("2026-11-23T00:51:33.831127Z"), m.commitTime());
    }

    @Test
    void parseReadsWhatToJsonWrote() {
        WatermarkMarker m = WatermarkMarker.ofMicros(1L << 33, 1_795_395_093_831_127L,
                Instant.parse("2026-11-23T00:51:34Z"), "abc");
        assertEquals(m, WatermarkMarker.parse(m.toJson()));
        WatermarkMarker without = WatermarkMarker.ofMicros(5, 6, Instant.EPOCH, null);
        assertEquals(without, WatermarkMarker.parse(without.toJson()));
        assertEquals("2/0", WatermarkMarker.pgLsn(1L << 33));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"lsn\":987654321,\"commitTs\":1795395723456789}",
            "{\"lsn\":\"987654321\",\"commitTs\":\"1795395723456789\"}",
            "{\"lsn\":987654321,\"commitTs\":\"2026-11-23T01:02:03.456789Z\"}",
            "{\"lsn\":987654321,\"commitTs\":\"2026-11-23T02:02:03.456789+01:00\"}"})
    void parsesLsnAndCommitTimeInEveryAcceptedForm(String json) {
        WatermarkMarker marker = WatermarkMarker.parse(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(new Watermark(987_654_321L, COMMIT), marker.watermark());
        assertNull(marker.rulesFingerprint(), "a marker written by a job beside Kafka Connect names no rules");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"commitTs\":1}", "{\"lsn\":1}", "{\"lsn\":-1,\"commitTs\":1}",
            "{\"lsn\":1,\"commitTs\":\"yesterday\"}", "{\"lsn\":1,\"commitTs\":{}}", "nope", "{\"before\":null}"})
    void rejectsWhatIsNotAMarkerQuotingIt(String json) {
        ChangeDecodeException e = assertThrows(ChangeDecodeException.class,
                () -> WatermarkMarker.parse(json.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("watermark marker"), e.getMessage());
    }

    @Test
    void recognisesTheHeader() {
        RecordHeaders headers = new RecordHeaders();
        assertFalse(WatermarkMarker.isMarker(headers));
        headers.add("commitcast-marker", "other".getBytes(StandardCharsets.UTF_8));
        assertFalse(WatermarkMarker.isMarker(headers));
        headers.add("commitcast-marker", "watermark".getBytes(StandardCharsets.UTF_8));
        assertTrue(WatermarkMarker.isMarker(headers));
    }
}
