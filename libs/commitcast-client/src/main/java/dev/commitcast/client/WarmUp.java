package dev.commitcast.client;

import java.time.Duration;
import java.util.Map;

/**
 * What {@link TieredCache#warm} did.
 *
 * @param bySource how many keys each tier answered ({@code BYPASS}: the caches were not trusted yet, nothing cached)
 * @param failed   keys whose load failed or timed out (they are loaded on first read)
 * @param took     how long the warm-up took
 */
public record WarmUp(Map<Lookup.Source, Integer> bySource, int failed, Duration took) {

    /** Copies the map. */
    public WarmUp {
        bySource = Map.copyOf(bySource);
    }
}
