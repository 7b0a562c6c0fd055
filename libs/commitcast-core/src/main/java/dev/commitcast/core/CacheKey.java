package dev.commitcast.core;

import java.util.List;
import java.util.UUID;

/**
 * One cached value's key: its {@link KeyKind} and its path, the rendered template ({@code org:{42}:user:9}). The
 * Redis key is the key space's prefix followed by the path ({@link KeySpace#valueKey(CacheKey)}).
 *
 * <p>Equal kinds and values give equal keys (values render canonically). Immutable and thread-safe; built by
 * {@link KeyKind#key(Object...)} or parsed by {@link Rules#parseKey(String)}.
 */
public final class CacheKey {

    private final KeyKind kind;
    private final String path;
    private final int tagFrom;
    private final int tagTo;

    CacheKey(KeyKind kind, String path, int tagFrom, int tagTo) {
        this.kind = kind;
        this.path = path;
        this.tagFrom = tagFrom;
        this.tagTo = tagTo;
    }

    /** Returns the kind. */
    public KeyKind kind() {
        return kind;
    }

    /** Returns the rendered template, e.g. {@code org:{42}:user:9}. */
    public String path() {
        return path;
    }

    /** Returns the rendered hash-tag value ({@code 42} for {@code org:{42}:user:9}), or null without one. */
    public String hashTag() {
        return tagFrom < 0 ? null : path.substring(tagFrom, tagTo);
    }

    /** Returns whether the rendered hash-tag value equals the given one (false without a hash tag). */
    boolean hashTagEquals(String tag) {
        return tagFrom >= 0 && tag.length() == tagTo - tagFrom && path.startsWith(tag, tagFrom);
    }

    /** Returns the part values in {@link KeyKind#parts()} order: {@link Long}, {@link Integer}, {@link String}, {@link UUID}. */
    public List<Object> parts() {
        return kind.decode(path);
    }

    /** Returns the value of the named part. @throws IllegalArgumentException if the kind has no such part */
    public Object part(String name) {
        List<KeyPart> parts = kind.parts();
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).name().equals(name)) {
                return parts().get(i);
            }
        }
        throw new IllegalArgumentException("kind " + kind.name() + " has no key part '" + name + "'");
    }

    /** Returns the named integer part as a long. */
    public long longPart(String name) {
        Object value = part(name);
        if (value instanceof Number number) {
            return number.longValue();
        }
        throw new IllegalArgumentException("key part '" + name + "' of kind " + kind.name() + " is not an integer");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheKey other && path.equals(other.path) && kind.equals(other.kind);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    /** Returns the path. */
    @Override
    public String toString() {
        return path;
    }
}
