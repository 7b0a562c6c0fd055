package dev.commitcast.core.wire;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Detects lost and repeated broadcasts, per publisher incarnation ({@link EvictionMessage#publisherId()}).
 *
 * <p>Redis pub/sub is fire-and-forget: a message published while a receiver is disconnected or too slow is lost.
 * Losing an eviction means serving stale data until the L1 TTL expires, so <b>on {@link Outcome#GAP} the receiver
 * must flush its whole L1 cache</b>. A publisher seen for the first time with a sequence above 1 is a gap too
 * (this receiver cannot know what it missed); a freshly started receiver has an empty L1, so that flush is free.
 * After a resubscribe call {@link #reset()}, so the next message of every publisher is treated as first seen.
 *
 * <p>Tracks at most {@code maxPublishers} incarnations and forgets the least recently seen beyond that (each
 * invalidator restart creates one); a forgotten publisher that speaks again is reported as a gap, which is safe.
 *
 * <p>Thread-safe: {@link #observe} is atomic per call.
 */
public final class SequenceTracker {

    /** Default number of publisher incarnations remembered. */
    public static final int DEFAULT_MAX_PUBLISHERS = 1024;

    /** What a received sequence number means. */
    public enum Outcome {
        /** The next expected message (or sequence 1 of a new publisher). */
        IN_ORDER,
        /** Messages were skipped, or a new publisher started above 1: flush the L1 cache. */
        GAP,
        /** A sequence at or below the last seen one: already applied, ignore the message. */
        DUPLICATE_OR_OLD
    }

    private final Map<String, Long> lastSeen;

    /** Creates a tracker remembering {@link #DEFAULT_MAX_PUBLISHERS} publishers. */
    public SequenceTracker() {
        this(DEFAULT_MAX_PUBLISHERS);
    }

    /** Creates a tracker remembering at most {@code maxPublishers} publishers. */
    public SequenceTracker(int maxPublishers) {
        if (maxPublishers < 1) {
            throw new IllegalArgumentException("maxPublishers must be >= 1, was " + maxPublishers);
        }
        this.lastSeen = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > maxPublishers;
            }
        };
    }

    /**
     * Records a received message and classifies it. A gap advances the expected sequence past the skipped ones;
     * a duplicate leaves the state unchanged.
     */
    public synchronized Outcome observe(String publisherId, long sequence) {
        Objects.requireNonNull(publisherId, "publisherId");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be >= 1, was " + sequence);
        }
        Long last = lastSeen.get(publisherId);
        long expected = last == null ? 1 : last + 1;
        if (sequence < expected) {
            return Outcome.DUPLICATE_OR_OLD;
        }
        lastSeen.put(publisherId, sequence);
        return sequence == expected ? Outcome.IN_ORDER : Outcome.GAP;
    }

    /** Forgets every publisher; call after (re)subscribing, since messages may have been lost meanwhile. */
    public synchronized void reset() {
        lastSeen.clear();
    }
}
