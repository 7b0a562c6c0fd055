package dev.commitcast.api.cache;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The compact L2 encoding of a {@link CachedValue}: a small binary header followed by the JSON body as sent.
 *
 * <pre>
 * byte  0      magic 'c'
 * byte  1      format version (1)
 * byte  2      flags: 1 = found, 2 = has page index, 4 = page has more rows
 * [page index: int n, n x int itemEnd, n x long itemId]   (big-endian)
 * rest         the JSON body
 * </pre>
 * A header that does not parse is reported as {@link IllegalArgumentException}; the caller treats it as a miss
 * (a value written by an incompatible version is refilled rather than served).
 *
 * <p>Stateless and thread-safe.
 */
public final class ValueCodec {

    static final byte MAGIC = 'c';
    static final byte VERSION = 1;
    private static final int FOUND = 1;
    private static final int PAGE = 2;
    private static final int HAS_MORE = 4;
    private static final int HEADER = 3;

    private ValueCodec() {
    }

    /** Encodes a value for Redis. */
    public static byte[] encode(CachedValue value) {
        PageIndex page = value.page();
        int n = page == null ? 0 : page.size();
        int indexBytes = page == null ? 0 : Integer.BYTES + n * (Integer.BYTES + Long.BYTES);
        ByteBuffer out = ByteBuffer.allocate(HEADER + indexBytes + value.body().length);
        int flags = (value.found() ? FOUND : 0) | (page != null ? PAGE : 0)
                | (page != null && page.hasMore() ? HAS_MORE : 0);
        out.put(MAGIC).put(VERSION).put((byte) flags);
        if (page != null) {
            out.putInt(n);
            for (int i = 0; i < n; i++) {
                out.putInt(page.itemEnd(i));
            }
            for (int i = 0; i < n; i++) {
                out.putLong(page.itemId(i));
            }
        }
        out.put(value.body());
        return out.array();
    }

    /**
     * Decodes bytes written by {@link #encode}.
     *
     * @throws IllegalArgumentException if the bytes are not a value of this format version
     */
    public static CachedValue decode(byte[] bytes) {
        if (bytes.length < HEADER || bytes[0] != MAGIC) {
            throw new IllegalArgumentException("not a cached value: " + bytes.length + " bytes, no 'c' magic");
        }
        if (bytes[1] != VERSION) {
            throw new IllegalArgumentException("cached value of format version " + bytes[1] + ", expected "
                    + VERSION);
        }
        int flags = bytes[2];
        ByteBuffer in = ByteBuffer.wrap(bytes, HEADER, bytes.length - HEADER);
        try {
            PageIndex page = (flags & PAGE) == 0 ? null : readIndex(in, (flags & HAS_MORE) != 0);
            byte[] body = Arrays.copyOfRange(bytes, in.position(), bytes.length);
            if ((flags & FOUND) == 0) {
                return CachedValue.notFound(body);
            }
            return page == null ? CachedValue.found(body) : CachedValue.page(body, page);
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("truncated cached value: " + bytes.length + " bytes", e);
        }
    }

    private static PageIndex readIndex(ByteBuffer in, boolean hasMore) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining() / (Integer.BYTES + Long.BYTES)) {
            throw new IllegalArgumentException("cached page index claims " + n + " items");
        }
        int[] ends = new int[n];
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ends[i] = in.getInt();
        }
        for (int i = 0; i < n; i++) {
            ids[i] = in.getLong();
        }
        return new PageIndex(ends, ids, hasMore);
    }
}
