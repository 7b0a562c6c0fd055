package dev.commitcast.invalidator.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.keys.Watermark;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WatermarkMarkerTest {

    private static final Instant COMMIT = Instant.parse("2026-11-23T01:02:03.456789Z");

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"lsn\":987654321,\"commitTs\":1795395723456789}",
            "{\"lsn\":\"987654321\",\"commitTs\":\"1795395723456789\"}",
            "{\"lsn\":987654321,\"commitTs\":\"2026-11-23T01:02:03.456789Z\"}",
            "{\"lsn\":987654321,\"commitTs\":\"2026-11-23T02:02:03.456789+01:00\"}"})
    void parsesLsnAndCommitTimeInEveryAcceptedForm(String json) {
        assertEquals(new Watermark(987_654_321L, COMMIT), WatermarkMarker.parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"commitTs\":1}", "{\"lsn\":1}", "{\"lsn\":-1,\"commitTs\":1}",
            "{\"lsn\":1,\"commitTs\":\"yesterday\"}", "{\"lsn\":1,\"commitTs\":{}}", "nope"})
    void rejectsWhatIsNotAMarker(String json) {
        assertThrows(ChangeDecodeException.class, () -> WatermarkMarker.parse(json.getBytes(StandardCharsets.UTF_8)));
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
