package dev.commitcast.keys;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Redis Cluster safety: every multi-key command Commitcast sends (the lease and fill scripts on a value and its lease,
 * one UNLINK per organisation) needs all its keys in one hash slot. The organisation id is the hash tag, so a value
 * key, its lease and every other key of the same organisation map to the slot of {@code {orgId}}. Slots are computed
 * here exactly as Redis does: CRC16/XMODEM of the hash tag (or the whole key) mod 16384.
 */
class RedisClusterSlotTest {
    private final KeyCodec codec = new KeyCodec(KeySpace.DEFAULT);

    @Test
    void everyKeyOfAnOrganisationAndItsLeaseShareTheOrganisationsSlot() {
        for (long org : new long[] {1, 42, 1_000_003}) {
            int slot = slot("{" + org + "}");
            for (CacheKey key : List.of(CacheKey.settings(org), CacheKey.roles(org), CacheKey.rolePermissions(org, 7),
                    CacheKey.user(org, 9), CacheKey.userList(org))) {
                assertEquals(slot, slot(codec.render(key)), codec.render(key));
                assertEquals(slot, slot(codec.leaseKey(key)), codec.leaseKey(key));
            }
        }
    }

    @Test
    void organisationsSpreadOverSlots() {
        assertNotEquals(slot(codec.render(CacheKey.user(1, 9))), slot(codec.render(CacheKey.user(2, 9))));
    }

    @Test
    void slotFunctionMatchesRedisReferenceValues() {
        // the CRC16/XMODEM check value from Redis' crc16.c, and CLUSTER KEYSLOT examples of the Redis documentation
        assertEquals(0x31C3, crc16("123456789".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(11058, slot("somekey"));
        assertEquals(2515, slot("foo{hash_tag}"));
        assertEquals(12182, slot("foo"));
        assertEquals(slot("bar"), slot("{bar}.foo"));
        assertEquals(slot("{user1000}.following"), slot("{user1000}.followers"));
        // an empty tag hashes the whole key; only the first '{' counts; values checked with CLUSTER KEYSLOT
        assertEquals(crc16("foo{}{bar}".getBytes(StandardCharsets.US_ASCII)) % 16384, slot("foo{}{bar}"),
                "an empty tag hashes the whole key");
        assertEquals(8363, slot("foo{}{bar}"));
        assertEquals(15257, slot("{}"));
        assertEquals(4015, slot("foo{{bar}}zap"));
        assertEquals(5061, slot("foo{bar}{zap}"));
        assertEquals(slot("{bar"), slot("foo{{bar}}zap"), "the tag of foo{{bar}}zap is '{bar'");
    }

    /** Redis Cluster's HASH_SLOT: CRC16 of the first non-empty {...} section, or of the whole key. */
    static int slot(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                key = key.substring(open + 1, close);
            }
        }
        return crc16(key.getBytes(StandardCharsets.UTF_8)) % 16384;
    }

    private static int crc16(byte[] bytes) {
        int crc = 0;
        for (byte b : bytes) {
            crc ^= (b & 0xff) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }
        return crc & 0xffff;
    }
}
