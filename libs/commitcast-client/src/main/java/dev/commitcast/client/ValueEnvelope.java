package dev.commitcast.client;

import java.util.Arrays;
import java.util.Objects;

/**
 * The L2 encoding of every value, whatever its codec: a three-byte header, then the codec's bytes.
 *
 * <pre>
 * byte 0   magic 'c'
 * byte 1   envelope version (2)
 * byte 2   flags: 1 = the value exists; 0 = a negative entry (the loader found nothing), no payload follows
 * rest     the {@link ValueCodec}'s bytes of the value
 * </pre>
 * Bytes that do not parse as an envelope of this version are reported as {@link IllegalArgumentException}; a
 * {@link TieredCache} then deletes the Redis value and reloads it (a value written by an incompatible version is
 * refilled rather than served). The format is part of the protocol, see {@code docs/protocol.md}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ValueEnvelope {

    /** The first byte of every envelope. */
    public static final byte MAGIC = 'c';
    /** The envelope version written and read by this client. */
    public static final byte VERSION = 2;
    /** The flag of an existing value. */
    public static final int FOUND = 1;
    /** The header length in bytes. */
    public static final int HEADER = 3;

    private static final byte[] ABSENT = {MAGIC, VERSION, 0};

    private ValueEnvelope() {
    }

    /**
     * Encodes a value, or a negative entry when {@code value} is {@code null}.
     *
     * @param <V> the value type
     */
    public static <V> byte[] encode(V value, ValueCodec<V> codec) {
        if (value == null) {
            return ABSENT.clone();
        }
        byte[] payload = Objects.requireNonNull(codec.encode(value), "codec returned null bytes");
        byte[] out = new byte[HEADER + payload.length];
        out[0] = MAGIC;
        out[1] = VERSION;
        out[2] = FOUND;
        System.arraycopy(payload, 0, out, HEADER, payload.length);
        return out;
    }

    /**
     * Decodes an envelope: the value, or {@code null} for a negative entry.
     *
     * @param <V> the value type
     * @throws IllegalArgumentException when the bytes are not an envelope of this version, or the codec rejects them
     */
    public static <V> V decode(byte[] bytes, ValueCodec<V> codec) {
        if (bytes.length < HEADER || bytes[0] != MAGIC) {
            throw new IllegalArgumentException("not a cached value: " + bytes.length + " bytes, no 'c' magic");
        }
        if (bytes[1] != VERSION) {
            throw new IllegalArgumentException("cached value of envelope version " + bytes[1] + ", expected "
                    + VERSION);
        }
        int flags = bytes[2];
        if ((flags & ~FOUND) != 0) {
            throw new IllegalArgumentException("cached value with unknown flags " + flags);
        }
        if ((flags & FOUND) == 0) {
            if (bytes.length != HEADER) {
                throw new IllegalArgumentException("negative entry with " + (bytes.length - HEADER)
                        + " payload bytes");
            }
            return null;
        }
        return Objects.requireNonNull(codec.decode(Arrays.copyOfRange(bytes, HEADER, bytes.length)),
                "codec decoded null");
    }
}
