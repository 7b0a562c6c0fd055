package dev.commitcast.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a change (or a batch of changes) invalidates: individual keys plus namespaces for bulk invalidation.
 * Keys also matched by a namespace are kept, so that {@link #union(Invalidation)} is a plain set union.
 *
 * <p>Immutable: both sets are copied and unmodifiable; iteration follows insertion order, so a broadcast lists keys
 * in the order the rules produced them.
 *
 * @param keys       keys to delete
 * @param namespaces namespaces to delete in bulk
 */
public record Invalidation(Set<CacheKey> keys, Set<Namespace> namespaces) {

    private static final Invalidation EMPTY = new Invalidation(Set.of(), Set.of());

    /** Copies the sets; they must not contain {@code null}. */
    public Invalidation {
        keys = copy(keys, "keys");
        namespaces = copy(namespaces, "namespaces");
    }

    /** Returns the invalidation of nothing. */
    public static Invalidation empty() {
        return EMPTY;
    }

    /** Returns the invalidation of the given keys. */
    public static Invalidation of(CacheKey... keys) {
        return new Invalidation(new LinkedHashSet<>(Arrays.asList(keys)), Set.of());
    }

    /** Returns the invalidation of one namespace. */
    public static Invalidation of(Namespace namespace) {
        return new Invalidation(Set.of(), Set.of(namespace));
    }

    /** Returns whether nothing is invalidated. */
    public boolean isEmpty() {
        return keys.isEmpty() && namespaces.isEmpty();
    }

    /** Returns an empty accumulator: the union of many invalidations without copying the sets for each one. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the union of this and the other invalidation (copies both; to add up many, use a {@link Builder}). */
    public Invalidation union(Invalidation other) {
        Objects.requireNonNull(other, "other");
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        Set<CacheKey> k = new LinkedHashSet<>(keys);
        k.addAll(other.keys);
        Set<Namespace> n = new LinkedHashSet<>(namespaces);
        n.addAll(other.namespaces);
        return new Invalidation(k, n);
    }

    /** Returns whether the key is listed or lies in one of the namespaces. */
    public boolean covers(CacheKey key) {
        if (keys.contains(key)) {
            return true;
        }
        for (Namespace namespace : namespaces) {
            if (namespace.matches(key)) {
                return true;
            }
        }
        return false;
    }

    private static <T> Set<T> copy(Set<T> set, String name) {
        Objects.requireNonNull(set, name);
        Set<T> copy = new LinkedHashSet<>(set.size() * 2);
        for (T element : set) {
            copy.add(Objects.requireNonNull(element, () -> name + " must not contain null"));
        }
        return Collections.unmodifiableSet(copy);
    }

    /**
     * Adds up invalidations: {@link #build()} is the union of everything {@linkplain #add added}, in insertion order.
     * Each element is hashed once, where folding with {@link #union} copies the whole accumulated set per change (a
     * batch of n changes cost O(n²)). Not thread-safe; reusable after {@link #build()}.
     */
    public static final class Builder {
        private Set<CacheKey> keys = new LinkedHashSet<>();
        private Set<Namespace> namespaces = new LinkedHashSet<>();

        private Builder() {
        }

        /** Adds the invalidation's keys and namespaces. */
        public Builder add(Invalidation invalidation) {
            keys.addAll(invalidation.keys);
            namespaces.addAll(invalidation.namespaces);
            return this;
        }

        /** Returns whether nothing was added since the last {@link #build()}. */
        public boolean isEmpty() {
            return keys.isEmpty() && namespaces.isEmpty();
        }

        /** Returns the union of everything added, and starts over empty. */
        public Invalidation build() {
            if (isEmpty()) {
                return EMPTY;
            }
            Invalidation built = new Invalidation(keys, namespaces); // one copy per build, not per add
            keys = new LinkedHashSet<>();
            namespaces = new LinkedHashSet<>();
            return built;
        }
    }
}
