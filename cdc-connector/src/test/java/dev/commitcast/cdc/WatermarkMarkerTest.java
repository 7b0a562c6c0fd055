package dev.commitcast.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WatermarkMarkerTest {

    @Test
    void jsonIsTheDocumentedWireFormat() {
        WatermarkMarker m = WatermarkMarker.ofMicros(30_969_616L, 1_795_395_093_831_127L,
                Instant.parse("2026-11-23T00:51:33.990012Z"));
        assertEquals("{\"lsn\":30969616,\"pgLsn\":\"0/1D88F10\",\"commitTs\":1795395093831127,"
                + "\"emittedTs\":1795395093990012}", new String(m.toJson(), StandardCharsets.UTF_8));
        assertEquals(Instant.parse("2026-11-23T00:51:33.831127Z"), m.commitTime());
    }

    @Test
    void parseReadsWhatToJsonWrote() {
        WatermarkMarker m = WatermarkMarker.ofMicros(1L << 33, 1_795_395_093_831_127L,
                Instant.parse("2026-11-23T00:51:34Z"));
        assertEquals(m, WatermarkMarker.parse(m.toJson()));
        assertEquals("2/0", WatermarkMarker.pgLsn(1L << 33));
    }

    @Test
    void aValueThatIsNotAMarkerIsRejectedQuotingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WatermarkMarker.parse("{\"before\":null}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("{\"before\":null}"), e.getMessage());
    }
}
