package dev.commitcast.core;

import java.nio.charset.StandardCharsets;

/**
 * Redis Cluster's key → hash slot function: CRC16/XMODEM of the key's hash tag (the text between the first
 * {@code {} and the next {@code }}, when not empty), else of the whole key, modulo 16384. Used for per-slot fill
 * generations ({@link GenerationKeys}) on standalone Redis and Redis Cluster alike. Stateless.
 */
public final class HashSlot {

    /** The number of slots. */
    public static final int SLOTS = 16384;

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[i] = crc & 0xffff;
        }
    }

    private HashSlot() {
    }

    /** Returns the slot of a Redis key. */
    public static int of(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                return crc16(key.substring(open + 1, close).getBytes(StandardCharsets.UTF_8)) % SLOTS;
            }
        }
        return crc16(key.getBytes(StandardCharsets.UTF_8)) % SLOTS;
    }

    /**
     * Returns whether the key has a hash tag, i.e. whether its slot is that of the text between its first
     * {@code {} and the next {@code }} rather than of the whole key.
     */
    public static boolean hasHashTag(String key) {
        int open = key.indexOf('{');
        if (open < 0) {
            return false;
        }
        int close = key.indexOf('}', open + 1);
        return close > open + 1;
    }

    /** Returns the slot of a bare hash-tag value (as if it were {@code {tag}}). */
    public static int ofTag(String tag) {
        return crc16(tag.getBytes(StandardCharsets.UTF_8)) % SLOTS;
    }

    /** CRC16/XMODEM (polynomial 0x1021, initial 0), as Redis' crc16.c. */
    public static int crc16(byte[] bytes) {
        int crc = 0;
        for (byte b : bytes) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ b) & 0xff]) & 0xffff;
        }
        return crc;
    }
}
