package dev.commitcast.api.support;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Reads counters by name and tags, 0 when not registered yet. */
public final class Meters {

    private Meters() {
    }

    /** Returns the count of the counter with the given name and tag pairs. */
    public static long count(MeterRegistry registry, String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : (long) counter.count();
    }
}
