package dev.commitcast.client;

import dev.commitcast.core.KeyKind;

import java.util.Locale;

/**
 * Receives the read path's events, like Caffeine's {@code StatsCounter}: hits and misses per tier and kind, fills
 * stored or rejected by fencing, single-flight joins, busy leases, L2 fallbacks and bypasses of both caches.
 * {@link MicrometerStatsCounter} exports them as Prometheus counters; {@link #disabled()} drops them.
 *
 * <p>Implementations must be thread-safe and cheap: every read calls them, an L1 hit on the caller's thread.
 */
public interface StatsCounter {

    /** A cache tier. */
    enum Tier { L1, L2 }

    /** Why a read skipped or lost L2 and went to the source directly. */
    enum Fallback {
        /** The circuit breaker is open, or Redis has not connected since start: Redis was not asked. */
        L2_UNAVAILABLE,
        /** Redis failed or timed out. */
        L2_ERROR,
        /** The L2 value did not decode (it is deleted and reloaded). */
        CORRUPT_VALUE
    }

    /** Why a read ignored both caches. */
    enum Bypass {
        /** The kill switch ({@link CommitcastClient.Builder#enabled}) is off. */
        DISABLED,
        /** The caches are not trusted: staleness budget exceeded, no watermark, unverified Redis or other rules. */
        STALE,
        /** A read-your-writes read whose write this instance had not applied within the wait. */
        READ_YOUR_WRITES
    }

    /** Counts a hit. */
    void recordHit(Tier tier, KeyKind kind);

    /** Counts a miss. */
    void recordMiss(Tier tier, KeyKind kind);

    /** Counts a fill: {@code stored}, or rejected by fencing (an invalidation arrived while the value was loaded). */
    void recordFill(Tier tier, KeyKind kind, boolean stored);

    /** Counts a read that joined the load of the same key in flight instead of loading it. */
    void recordJoin(KeyKind kind);

    /** Counts an L2 miss that found another reader's fill lease and loaded without filling. */
    void recordLeaseBusy(KeyKind kind);

    /** Counts a read that could not use L2. */
    void recordFallback(Fallback reason);

    /** Counts a read that ignored both caches. */
    void recordBypass(Bypass reason);

    /** Returns a counter that records nothing. */
    static StatsCounter disabled() {
        return DisabledStatsCounter.INSTANCE;
    }

    /** Returns the lower-case tag value of an enum constant, e.g. {@code l1}, {@code corrupt_value}. */
    static String tagValue(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}

/** The counter of {@link StatsCounter#disabled()}. */
enum DisabledStatsCounter implements StatsCounter {
    INSTANCE;

    @Override
    public void recordHit(Tier tier, KeyKind kind) {
    }

    @Override
    public void recordMiss(Tier tier, KeyKind kind) {
    }

    @Override
    public void recordFill(Tier tier, KeyKind kind, boolean stored) {
    }

    @Override
    public void recordJoin(KeyKind kind) {
    }

    @Override
    public void recordLeaseBusy(KeyKind kind) {
    }

    @Override
    public void recordFallback(Fallback reason) {
    }

    @Override
    public void recordBypass(Bypass reason) {
    }
}
