package dev.commitcast.core;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Slots as Redis computes them (values from Redis' crc16.c and CLUSTER KEYSLOT), and the generation key table. */
class HashSlotTest {

    @Test
    void slotFunctionMatchesRedisReferenceValues() {
        assertEquals(0x31C3, HashSlot.crc16("123456789".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(11058, HashSlot.of("somekey"));
        assertEquals(2515, HashSlot.of("foo{hash_tag}"));
        assertEquals(12182, HashSlot.of("foo"));
        assertEquals(HashSlot.of("bar"), HashSlot.of("{bar}.foo"));
        assertEquals(8363, HashSlot.of("foo{}{bar}"), "an empty tag hashes the whole key");
        assertEquals(15257, HashSlot.of("{}"));
        assertEquals(4015, HashSlot.of("foo{{bar}}zap"));
        assertEquals(5061, HashSlot.of("foo{bar}{zap}"));
        assertEquals(8000, HashSlot.of("cc:v1:org:{42}:user:9"));
        assertNotEquals(HashSlot.of("cc:v1:org:{1}:user:9"), HashSlot.of("cc:v1:org:{2}:user:9"));
    }

    @Test
    void everySlotHasAGenerationKeyInThatSlot() {
        KeySpace space = new KeySpace("cc", 1);
        Set<String> keys = new HashSet<>();
        for (int slot = 0; slot < HashSlot.SLOTS; slot++) {
            String key = GenerationKeys.key(space, slot);
            assertEquals(slot, HashSlot.of(key), key);
            keys.add(key);
        }
        assertEquals(HashSlot.SLOTS, keys.size());
        assertEquals("cc:sys:gen:{0}", GenerationKeys.key(space, HashSlot.ofTag("0")), "the first candidate wins");
        assertEquals(GenerationKeys.key(space, 8000), GenerationKeys.keyFor(space, "cc:v1:org:{42}:user:9"));
    }
}
