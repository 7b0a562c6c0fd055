package dev.commitcast.api.http;

import dev.commitcast.api.data.UserRow;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes user pages, {@code {"orgId":1,"users":[...],"nextCursor":"..."|null}}, and cuts smaller pages out of a
 * cached first page without parsing it: the body up to the end of item {@code n - 1}, then a new closing with that
 * item's cursor. Thread-safe.
 */
@Singleton
final class UserPages {

    private static final byte[] NEXT = "],\"nextCursor\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_NEXT = "],\"nextCursor\":null}".getBytes(StandardCharsets.US_ASCII);

    private final JsonMapper json;

    UserPages(JsonMapper json) {
        this.json = json;
    }

    /**
     * Returns the page of the first {@code pageSize} of {@code rows}; more rows than that mean there is a next page.
     */
    CachedValue write(long orgId, List<UserRow> rows, int pageSize) {
        int n = Math.min(rows.size(), pageSize);
        boolean hasMore = rows.size() > pageSize;
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + n * 256);
        out.writeBytes(("{\"orgId\":" + orgId + ",\"users\":[").getBytes(StandardCharsets.US_ASCII));
        int[] ends = new int[n];
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(serialize(rows.get(i)));
            ends[i] = out.size();
            ids[i] = rows.get(i).id();
        }
        if (hasMore) {
            out.writeBytes(NEXT);
            out.writeBytes(quoted(UserCursor.encode(ids[n - 1])));
            out.write('}');
        } else {
            out.writeBytes(NO_NEXT);
        }
        return CachedValue.page(out.toByteArray(), new PageIndex(ends, ids, hasMore));
    }

    /** Returns the body of the first {@code limit} items of a cached first page, and its ETag. */
    Slice slice(CachedValue page, int limit) {
        PageIndex index = page.page();
        if (limit >= index.size()) {
            return new Slice(page.body(), page.etag());
        }
        int end = index.itemEnd(limit - 1);
        byte[] cursor = quoted(UserCursor.encode(index.itemId(limit - 1)));
        byte[] body = Arrays.copyOf(page.body(), end + NEXT.length + cursor.length + 1);
        System.arraycopy(NEXT, 0, body, end, NEXT.length);
        System.arraycopy(cursor, 0, body, end + NEXT.length, cursor.length);
        body[body.length - 1] = '}';
        String etag = page.etag().substring(0, page.etag().length() - 1) + "." + limit + '"';
        return new Slice(body, etag);
    }

    /**
     * A page cut from a cached one.
     *
     * @param body the response body
     * @param etag its strong ETag: the cached page's, qualified by the limit
     */
    record Slice(byte[] body, String etag) {
    }

    private byte[] serialize(UserRow row) {
        try {
            return json.writeValueAsBytes(row);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize user " + row.id(), e);
        }
    }

    private static byte[] quoted(String text) {
        return ('"' + text + '"').getBytes(StandardCharsets.US_ASCII);
    }
}
