package dev.commitcast.api.http;

import dev.commitcast.client.ValueEnvelope;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo API's values in Redis: the body as sent, a page index for first pages, inside the client's envelope. */
class CachedValueCodecTest {

    private static final byte[] BODY = "{\"id\":1,\"name\":\"Zoë ✓\"}".getBytes(StandardCharsets.UTF_8);
    private static final CachedValueCodec CODEC = CachedValueCodec.INSTANCE;

    @Test
    void foundValuesRoundTripWithTheirEtag() {
        CachedValue value = CachedValue.found(BODY);
        byte[] stored = ValueEnvelope.encode(value, CODEC);
        CachedValue decoded = ValueEnvelope.decode(stored, CODEC);
        assertTrue(decoded.found());
        assertArrayEquals(BODY, decoded.body());
        assertEquals(value.etag(), decoded.etag());
        assertNull(decoded.page());
        assertEquals(ValueEnvelope.HEADER + 1 + BODY.length, stored.length, "envelope header + one flags byte");
    }

    @Test
    void a404IsTheEnvelopesNegativeEntryNotAValue() {
        assertThrows(IllegalArgumentException.class, () -> CODEC.encode(CachedValue.notFound(BODY)));
        assertNull(ValueEnvelope.decode(ValueEnvelope.encode(null, CODEC), CODEC));
    }

    @Test
    void pagesRoundTripWithTheirIndex() {
        PageIndex index = new PageIndex(new int[] {5, 9, 14}, new long[] {3, 7, 42}, true);
        CachedValue decoded = CODEC.decode(CODEC.encode(CachedValue.page(BODY, index)));
        assertEquals(index, decoded.page());
        assertTrue(decoded.page().hasMore());
        assertArrayEquals(BODY, decoded.body());
    }

    @Test
    void foreignOrTruncatedBytesAreRejected() {
        byte[] encoded = CODEC.encode(CachedValue.page(BODY, new PageIndex(new int[] {5}, new long[] {3}, false)));
        assertThrows(IllegalArgumentException.class, () -> CODEC.decode(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> CODEC.decode(new byte[] {(byte) 0x80}), "unknown flags");
        assertThrows(IllegalArgumentException.class, () -> CODEC.decode(Arrays.copyOf(encoded, 6)));
    }

    @Test
    void equalBytesHaveEqualStrongEtags() {
        String etag = CachedValue.found(BODY).etag();
        assertEquals(etag, CachedValue.found(BODY.clone()).etag());
        assertTrue(etag.startsWith("\"") && etag.endsWith("\"") && !etag.startsWith("W/"));
        assertFalse(etag.equals(CachedValue.found("{}".getBytes(StandardCharsets.UTF_8)).etag()));
    }
}
