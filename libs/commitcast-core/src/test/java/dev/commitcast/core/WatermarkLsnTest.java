package dev.commitcast.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Postgres' text form of an LSN, as writers pass it for read-your-writes. */
class WatermarkLsnTest {

    @Test
    void textAndNumberRoundTrip() {
        assertEquals(0x1D88F10L, Watermark.parsePgLsn("0/1D88F10"));
        assertEquals(0x1D88F10L, Watermark.parsePgLsn("0/1d88f10"));
        assertEquals((2L << 32) | 0xAL, Watermark.parsePgLsn("2/A"));
        assertEquals("FFFFFFFF/FFFFFFFF", Watermark.pgLsn(-1L));
        assertEquals(-1L, Watermark.parsePgLsn("FFFFFFFF/FFFFFFFF"));
        assertEquals("2/0", Watermark.pgLsn(1L << 33));
    }

    @Test
    void otherTextIsRejectedQuotingIt() {
        for (String bad : new String[] {"", "42", "/1", "0/", "0/xyz", "123456789/0", "0/123456789", "-1/0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Watermark.parsePgLsn(bad));
            assertEquals(true, e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }
}
