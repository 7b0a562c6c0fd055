package dev.commitcast.core.wire;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.Namespace;
import dev.commitcast.core.Watermark;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One broadcast from the invalidator to every cache instance, telling it what to evict from its in-process (L1)
 * cache. Sent on the key space's eviction channel, encoded by {@link EvictionCodec}.
 *
 * <p>Sequences are per publisher incarnation: {@code publisherId} is random per process start and {@code sequence}
 * counts from 1, so a receiver detects lost messages per publisher with a {@link SequenceTracker}. A message without
 * keys and namespaces that is not {@code flushAll} is a {@linkplain #isHeartbeat() heartbeat}: it only carries the
 * watermark and proves the channel is alive. Every message carries the publisher's rules fingerprint, so a receiver
 * whose rules differ knows that the keys it is told about may not be the keys it caches.
 *
 * <p>Immutable: the lists are copied.
 *
 * @param rulesFingerprint  the publisher's {@code Rules.fingerprint()}
 * @param publisherId       the publisher incarnation; 1 to 64 characters of {@code [A-Za-z0-9_-]}
 * @param sequence          this message's number within the incarnation, {@code >= 1}
 * @param sentAtEpochMillis when the message was sent, epoch milliseconds, {@code >= 0}
 * @param keys              keys to evict
 * @param namespaces        namespaces to evict
 * @param watermark         how far the invalidator has applied the change stream, or {@code null} if not known yet
 * @param flushAll          whether to evict everything
 */
public record EvictionMessage(String rulesFingerprint, String publisherId, long sequence, long sentAtEpochMillis,
                              List<CacheKey> keys, List<Namespace> namespaces, Watermark watermark,
                              boolean flushAll) {

    /** Longest accepted publisher id. */
    public static final int MAX_PUBLISHER_ID_LENGTH = 64;

    /** Validates the components and copies the lists (which must not contain {@code null}). */
    public EvictionMessage {
        requireToken("rulesFingerprint", rulesFingerprint);
        requireToken("publisherId", publisherId);
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be >= 1, was " + sequence);
        }
        if (sentAtEpochMillis < 0) {
            throw new IllegalArgumentException("sentAtEpochMillis must be >= 0, was " + sentAtEpochMillis);
        }
        keys = List.copyOf(Objects.requireNonNull(keys, "keys"));
        namespaces = List.copyOf(Objects.requireNonNull(namespaces, "namespaces"));
    }

    /** Returns a heartbeat: no keys, no namespaces, not flushAll. */
    public static EvictionMessage heartbeat(String rulesFingerprint, String publisherId, long sequence,
                                            long sentAtEpochMillis, Watermark watermark) {
        return new EvictionMessage(rulesFingerprint, publisherId, sequence, sentAtEpochMillis, List.of(), List.of(),
                watermark, false);
    }

    /** Returns a fresh random publisher id, to be created once per process start. */
    public static String newPublisherId() {
        return UUID.randomUUID().toString();
    }

    /** Returns whether this message evicts nothing and only carries the watermark. */
    public boolean isHeartbeat() {
        return !flushAll && keys.isEmpty() && namespaces.isEmpty();
    }

    /** Validates a header token: 1 to 64 characters of {@code [A-Za-z0-9_-]}. */
    static void requireToken(String name, String value) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty() || value.length() > MAX_PUBLISHER_ID_LENGTH) {
            throw new IllegalArgumentException(name + " must have 1 to " + MAX_PUBLISHER_ID_LENGTH
                    + " characters, was \"" + value + "\"");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-';
            if (!ok) {
                throw new IllegalArgumentException(name + " \"" + value + "\" has an illegal character at index "
                        + i + "; allowed are [A-Za-z0-9_-]");
            }
        }
    }
}
