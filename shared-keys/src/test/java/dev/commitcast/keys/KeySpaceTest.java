package dev.commitcast.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeySpaceTest {

    @Test
    void defaultKeySpaceNamesChannelAndWatermark() {
        assertEquals("cc", KeySpace.DEFAULT.prefix());
        assertEquals("cc:v1:evictions", KeySpace.DEFAULT.evictionChannel());
        assertEquals("cc:v1:watermark", KeySpace.DEFAULT.watermarkKey());
        assertEquals("it-7.a_b:v1:evictions", new KeySpace("it-7.a_b").evictionChannel());
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "CC", "c c", "c:c", "c*", "c?", "c[1]", "c{1}", "c\\", "ç"})
    void rejectsPrefixesOutsideTheAlphabet(String prefix) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KeySpace(prefix));
        assertTrue(e.getMessage().contains("\"" + prefix + "\""), e.getMessage());
    }

    @Test
    void rejectsEmptyAndNullPrefix() {
        assertThrows(IllegalArgumentException.class, () -> new KeySpace(""));
        assertThrows(NullPointerException.class, () -> new KeySpace(null));
    }
}
