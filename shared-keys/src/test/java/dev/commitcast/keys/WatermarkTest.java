package dev.commitcast.keys;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WatermarkTest {
    @Test
    void wireFormRoundTrips() {
        Watermark watermark = new Watermark(23_456_789L, Instant.parse("2026-11-23T01:02:03.456789Z"));
        assertEquals("23456789@2026-11-23T01:02:03.456789Z", watermark.wire());
        assertEquals(watermark, Watermark.parseWire(watermark.wire()));
    }

    @Test
    void rejectsJunkQuotingIt() {
        for (String junk : new String[] {"", "@2026-11-23T01:02:03Z", "12", "x@2026-11-23T01:02:03Z", "12@yesterday"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Watermark.parseWire(junk));
            assertTrue(e.getMessage().contains("'" + junk + "'"), e.getMessage());
        }
    }
}
