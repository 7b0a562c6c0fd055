package dev.commitcast.api.http;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * One answer of the demo API: the serialized JSON body exactly as it is sent, whether it is a "found" or a 404, its
 * strong ETag and, for the first page of a user list, the {@link PageIndex} that lets smaller pages be cut from it
 * without parsing. A cache hit is therefore a lookup and a write of these bytes.
 *
 * <p>Immutable and thread-safe; the body array must not be modified after construction.
 */
public final class CachedValue {

    private final boolean found;
    private final byte[] body;
    private final PageIndex page;
    private final String etag;

    private CachedValue(boolean found, byte[] body, PageIndex page) {
        this.found = found;
        this.body = Objects.requireNonNull(body, "body");
        this.page = page;
        this.etag = strongEtag(body, 0, body.length);
    }

    /** Returns a found value. */
    public static CachedValue found(byte[] body) {
        return new CachedValue(true, body, null);
    }

    /** Returns a found first page of a list, with the index of its items. */
    public static CachedValue page(byte[] body, PageIndex page) {
        return new CachedValue(true, body, Objects.requireNonNull(page, "page"));
    }

    /** Returns a cached "not found": {@code body} is the problem document answered with 404. */
    public static CachedValue notFound(byte[] body) {
        return new CachedValue(false, body, null);
    }

    /** Returns whether the resource exists; {@code false} is a negative (404) entry. */
    public boolean found() {
        return found;
    }

    /** Returns the response body; callers must not modify it. */
    public byte[] body() {
        return body;
    }

    /** Returns the item index of a cached first page, or {@code null} for other values. */
    public PageIndex page() {
        return page;
    }

    /** Returns the strong ETag of the body, quoted, e.g. {@code "Zk3…"}. */
    public String etag() {
        return etag;
    }

    /** Returns the approximate heap footprint of the body, index and tag in bytes, the L1 weight. */
    public int weight() {
        int index = page == null ? 0 : page.size() * (Integer.BYTES + Long.BYTES) + 32;
        return 32 + body.length + index + etag.length() * 2;
    }

    /**
     * Returns a strong ETag of a byte range: the first 128 bits of its SHA-256, base64url, quoted. Equal bytes
     * always give equal tags, across instances and restarts.
     */
    public static String strongEtag(byte[] bytes, int offset, int length) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        sha.update(bytes, offset, length);
        byte[] digest = sha.digest();
        return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16))
                + '"';
    }

    @Override
    public String toString() {
        return "CachedValue[found=" + found + ", bytes=" + body.length + ", etag=" + etag
                + (page == null ? "" : ", items=" + page.size()) + "]";
    }
}
