package dev.commitcast.keys;

import java.util.Objects;

/**
 * The prefix under which every Commitcast key, channel and marker of one environment lives, so that tests and
 * environments can share one Redis without seeing each other's data.
 *
 * <p>The prefix is restricted to {@code [a-z0-9_.-]+}: none of these characters is special in a Redis glob or a
 * Redis Cluster hash tag, so keys and SCAN patterns built from it never need escaping.
 *
 * <p>Immutable and thread-safe.
 *
 * @param prefix the environment prefix, e.g. {@code "cc"} or {@code "it-7f3a"}
 */
public record KeySpace(String prefix) {

    /** The production key space, {@code "cc"}. */
    public static final KeySpace DEFAULT = new KeySpace("cc");

    /** Version segment after the prefix; bump it to change any key layout without colliding with old values. */
    static final String VERSION = "v1";

    /** Validates the prefix. */
    public KeySpace {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("key space prefix must not be empty");
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (!isAllowed(prefix.charAt(i))) {
                throw new IllegalArgumentException("key space prefix \"" + prefix
                        + "\" has an illegal character at index " + i + "; allowed are [a-z0-9_.-]");
            }
        }
    }

    /** Returns the Redis pub/sub channel on which evictions are broadcast, e.g. {@code cc:v1:evictions}. */
    public String evictionChannel() {
        return prefix + ":" + VERSION + ":evictions";
    }

    /** Returns the Redis key holding the invalidator's last applied position, e.g. {@code cc:v1:watermark}. */
    public String watermarkKey() {
        return prefix + ":" + VERSION + ":watermark";
    }

    private static boolean isAllowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    }
}
