package dev.commitcast.api.cache;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueCodecTest {

    private static final byte[] BODY = "{\"id\":1,\"name\":\"Zoë ✓\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void foundValuesRoundTripWithTheirEtag() {
        CachedValue value = CachedValue.found(BODY);
        CachedValue decoded = ValueCodec.decode(ValueCodec.encode(value));
        assertTrue(decoded.found());
        assertArrayEquals(BODY, decoded.body());
        assertEquals(value.etag(), decoded.etag());
        assertNull(decoded.page());
        assertEquals(3 + BODY.length, ValueCodec.encode(value).length, "three header bytes");
    }

    @Test
    void notFoundValuesRoundTrip() {
        CachedValue decoded = ValueCodec.decode(ValueCodec.encode(CachedValue.notFound(BODY)));
        assertFalse(decoded.found());
        assertArrayEquals(BODY, decoded.body());
    }

    @Test
    void pagesRoundTripWithTheirIndex() {
        PageIndex index = new PageIndex(new int[] {5, 9, 14}, new long[] {3, 7, 42}, true);
        CachedValue decoded = ValueCodec.decode(ValueCodec.encode(CachedValue.page(BODY, index)));
        assertEquals(index, decoded.page());
        assertTrue(decoded.page().hasMore());
        assertArrayEquals(BODY, decoded.body());
    }

    @Test
    void foreignOrTruncatedBytesAreRejected() {
        byte[] encoded = ValueCodec.encode(CachedValue.page(BODY, new PageIndex(new int[] {5}, new long[] {3}, false)));
        assertThrows(IllegalArgumentException.class, () -> ValueCodec.decode(BODY));
        assertThrows(IllegalArgumentException.class, () -> ValueCodec.decode(new byte[] {'c'}));
        assertThrows(IllegalArgumentException.class, () -> ValueCodec.decode(Arrays.copyOf(encoded, 8)));
        byte[] otherVersion = encoded.clone();
        otherVersion[1] = 9;
        assertThrows(IllegalArgumentException.class, () -> ValueCodec.decode(otherVersion));
    }

    @Test
    void equalBytesHaveEqualStrongEtags() {
        String etag = CachedValue.found(BODY).etag();
        assertEquals(etag, CachedValue.found(BODY.clone()).etag());
        assertTrue(etag.startsWith("\"") && etag.endsWith("\"") && !etag.startsWith("W/"));
        assertFalse(etag.equals(CachedValue.found("{}".getBytes(StandardCharsets.UTF_8)).etag()));
    }
}
