package dev.commitcast.client;

import java.nio.charset.StandardCharsets;

/**
 * Turns a value into the bytes stored in Redis and back, and weighs it for L1. The client wraps the bytes in its
 * {@link ValueEnvelope} (format version and whether the value exists), so a codec only ever sees present values.
 *
 * <p>Implementations must be thread-safe. {@link #decode} must reject bytes it cannot read with an
 * {@link IllegalArgumentException}: the client then deletes the Redis value and reloads it from the source, instead of
 * serving garbage or failing the read (a value written by an incompatible version of the service heals itself).
 *
 * @param <V> the value type
 */
public interface ValueCodec<V> {

    /** Encodes a value for Redis. */
    byte[] encode(V value);

    /**
     * Decodes bytes written by {@link #encode}.
     *
     * @throws IllegalArgumentException when the bytes are not a value of this codec
     */
    V decode(byte[] bytes);

    /**
     * Returns the approximate heap footprint of the value in bytes, its L1 weight (the L1 is bounded by the sum).
     * The default encodes the value and counts its bytes; override it when that is expensive or far off.
     */
    default int weigh(V value) {
        return encode(value).length;
    }

    /** Returns a codec of byte arrays, stored as they are. */
    static ValueCodec<byte[]> bytes() {
        return new ValueCodec<>() {
            @Override
            public byte[] encode(byte[] value) {
                return value;
            }

            @Override
            public byte[] decode(byte[] bytes) {
                return bytes;
            }

            @Override
            public int weigh(byte[] value) {
                return value.length;
            }
        };
    }

    /** Returns a codec of strings, stored as UTF-8. */
    static ValueCodec<String> utf8() {
        return new ValueCodec<>() {
            @Override
            public byte[] encode(String value) {
                return value.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String decode(byte[] bytes) {
                return new String(bytes, StandardCharsets.UTF_8);
            }

            @Override
            public int weigh(String value) {
                return 40 + value.length() * 2;
            }
        };
    }
}
