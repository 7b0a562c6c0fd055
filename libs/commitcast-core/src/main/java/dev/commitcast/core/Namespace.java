package dev.commitcast.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A scope of bulk invalidation, for changes whose dependent keys cannot be named one by one (a parent row deleted, a
 * table truncated, an event that could not be decoded): every key of some kinds, optionally only those under one
 * hash-tag value (every key of organisation 42).
 *
 * <p>Wire form ({@link #wire()}, {@link Rules#parseNamespace(String)}): {@code *} (everything), {@code tag=42},
 * {@code kinds=user,user_list} or {@code tag=42;kinds=settings}; kinds in declaration order; a tag is its rendered
 * (canonical, percent-encoded) text, so the form never contains a space, {@code |} or {@code ,} inside a value.
 *
 * <p>Immutable and thread-safe; created by {@link Rules}.
 */
public final class Namespace {

    private final List<KeyKind> kinds;
    /** Per kind index: the kind when covered, else null. */
    private final KeyKind[] member;
    private final boolean allKinds;
    private final String tag;

    Namespace(List<KeyKind> kinds, int kindCount, String tag) {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("a namespace covers at least one kind");
        }
        this.member = new KeyKind[kindCount];
        List<KeyKind> ordered = new ArrayList<>(kinds);
        ordered.sort((a, b) -> Integer.compare(a.index(), b.index()));
        List<KeyKind> distinct = new ArrayList<>();
        for (KeyKind kind : ordered) {
            if (member[kind.index()] == null) {
                member[kind.index()] = kind;
                distinct.add(kind);
            }
            if (tag != null && kind.hashTagIndex() < 0) {
                throw new IllegalArgumentException("kind " + kind.name() + " has no hash tag, so it cannot be "
                        + "scoped to hash tag " + tag);
            }
        }
        this.kinds = List.copyOf(distinct);
        this.allKinds = distinct.size() == kindCount;
        this.tag = tag;
    }

    /** Returns the kinds covered, in declaration order; never empty. */
    public List<KeyKind> kinds() {
        return kinds;
    }

    /** Returns the rendered hash-tag value this namespace is restricted to, if any. */
    public Optional<String> hashTag() {
        return Optional.ofNullable(tag);
    }

    /** Returns whether every kind of the rules is covered. */
    public boolean coversAllKinds() {
        return allKinds;
    }

    /** Returns whether this is every key of every kind. */
    public boolean isEverything() {
        return allKinds && tag == null;
    }

    /** Returns whether the key lies in this namespace. */
    public boolean matches(CacheKey key) {
        int index = key.kind().index();
        return index < member.length && member[index] != null && member[index].equals(key.kind())
                && (tag == null || key.hashTagEquals(tag));
    }

    /**
     * Returns Redis {@code SCAN MATCH} globs that together match every value key (and lease) of this namespace in
     * the key space: one per distinct kind shape. They may match keys outside the namespace; callers parse each key
     * SCAN returns and delete only those that {@link #matches} (or whose lease it is).
     */
    public List<String> scanPatterns(KeySpace keySpace) {
        Objects.requireNonNull(keySpace, "keySpace");
        if (isEverything()) {
            return List.of(keySpace.keyPrefix() + "*");
        }
        Set<String> patterns = new LinkedHashSet<>();
        for (KeyKind kind : kinds) {
            patterns.add(kind.scanPattern(keySpace, tag));
        }
        return List.copyOf(patterns);
    }

    /** Returns the wire form; see the class documentation. */
    public String wire() {
        if (isEverything()) {
            return "*";
        }
        StringBuilder sb = new StringBuilder();
        if (tag != null) {
            sb.append("tag=").append(tag);
        }
        if (!allKinds) {
            if (!sb.isEmpty()) {
                sb.append(';');
            }
            sb.append("kinds=");
            for (KeyKind kind : kinds) {
                sb.append(kind.name()).append(',');
            }
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Namespace other && kinds.equals(other.kinds) && Objects.equals(tag, other.tag);
    }

    @Override
    public int hashCode() {
        return kinds.hashCode() * 31 + Objects.hashCode(tag);
    }

    /** Returns {@code Namespace[<wire form>]}. */
    @Override
    public String toString() {
        return "Namespace[" + wire() + "]";
    }
}
