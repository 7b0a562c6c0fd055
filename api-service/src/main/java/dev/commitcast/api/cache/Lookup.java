package dev.commitcast.api.cache;

import java.util.Objects;

/**
 * The answer of {@link TieredCache#get}: the value and where it came from.
 *
 * @param value  the cached or freshly loaded value
 * @param source the tier that answered, sent as the {@code X-Cache} header
 */
public record Lookup(CachedValue value, Source source) {

    /** Where a value came from. */
    public enum Source {
        /** The in-process cache. */
        L1,
        /** Redis. */
        L2,
        /** Postgres, after missing the caches (and filling them). */
        MISS,
        /** Postgres, ignoring the caches (kill switch or staleness budget exceeded). */
        BYPASS
    }

    /** Validates the components. */
    public Lookup {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
    }
}
