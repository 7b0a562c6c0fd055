package dev.commitcast.api.http;

import dev.commitcast.client.ValueCodec;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The demo API's {@link ValueCodec}: the response body as sent, preceded by the item index of a cached first page, so
 * an L2 hit is served without parsing JSON. Inside the client's value envelope:
 *
 * <pre>
 * byte  0      flags: 1 = has a page index, 2 = the page has more rows
 * [page index: int n, n x int itemEnd, n x long itemId]   (big-endian)
 * rest         the JSON body
 * </pre>
 * Only found values are encoded: a missing resource is the client's negative entry, and its 404 body is rendered when
 * it is answered. Stateless and thread-safe.
 */
public final class CachedValueCodec implements ValueCodec<CachedValue> {

    /** The one instance. */
    public static final CachedValueCodec INSTANCE = new CachedValueCodec();

    private static final int PAGE = 1;
    private static final int HAS_MORE = 2;

    private CachedValueCodec() {
    }

    @Override
    public byte[] encode(CachedValue value) {
        if (!value.found()) {
            throw new IllegalArgumentException("a 404 is cached as the client's negative entry, not as a value");
        }
        PageIndex page = value.page();
        int n = page == null ? 0 : page.size();
        int indexBytes = page == null ? 0 : Integer.BYTES + n * (Integer.BYTES + Long.BYTES);
        ByteBuffer out = ByteBuffer.allocate(1 + indexBytes + value.body().length);
        out.put((byte) ((page != null ? PAGE : 0) | (page != null && page.hasMore() ? HAS_MORE : 0)));
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

    @Override
    public CachedValue decode(byte[] bytes) {
        if (bytes.length < 1 || (bytes[0] & ~(PAGE | HAS_MORE)) != 0) {
            throw new IllegalArgumentException("not a demo API value: " + bytes.length + " bytes"
                    + (bytes.length > 0 ? ", flags " + bytes[0] : ""));
        }
        int flags = bytes[0];
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        try {
            PageIndex page = (flags & PAGE) == 0 ? null : readIndex(in, (flags & HAS_MORE) != 0);
            byte[] body = Arrays.copyOfRange(bytes, in.position(), bytes.length);
            return page == null ? CachedValue.found(body) : CachedValue.page(body, page);
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("truncated demo API value: " + bytes.length + " bytes", e);
        }
    }

    @Override
    public int weigh(CachedValue value) {
        return value.weight();
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
