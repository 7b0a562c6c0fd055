package dev.commitcast.client;

import java.util.Objects;

/**
 * The answer of {@link TieredCache#lookup}: the value and where it came from.
 *
 * @param value  the cached or freshly loaded value; {@code null} when the key's value does not exist (a negative entry)
 * @param source the tier that answered
 * @param <V>    the value type
 */
public record Lookup<V>(V value, Source source) {

    /** Where a value came from. */
    public enum Source {
        /** The in-process cache. */
        L1,
        /** Redis. */
        L2,
        /** The source of truth, after missing the caches (and filling them). */
        MISS,
        /** The source of truth, ignoring the caches (kill switch, staleness budget exceeded, rules differ). */
        BYPASS
    }

    /** Validates the components. */
    public Lookup {
        Objects.requireNonNull(source, "source");
    }

    /** Returns whether the value exists ({@code false}: a negative entry, the loader returned {@code null}). */
    public boolean found() {
        return value != null;
    }
}
