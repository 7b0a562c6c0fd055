package dev.commitcast.core;

/**
 * The per-slot fill generation keys that fence fills against namespace invalidations (ADR-0006).
 *
 * <p>Every hash slot {@code s} has one counter, {@code <prefix>:sys:gen:{<t>}}, where {@code t} is the slot's
 * generation tag: the first string of the sequence {@code Long.toString(0, 36)}, {@code Long.toString(1, 36)}, ...
 * (that is {@code 0, 1, ..., 9, a, ..., z, 10, 11, ...}) whose {@link HashSlot#ofTag slot} is {@code s}. The tag puts
 * the counter in slot {@code s}, so the lease and fill scripts of any key of that slot can read it (Redis Cluster
 * allows a script only keys of one slot). A namespace invalidation first increments the counters of every slot the
 * namespace can touch (one slot for a hash-tag namespace, all 16384 otherwise), then deletes; a lease records the
 * counter it saw, and a fill lands only while it is unchanged.
 *
 * <p>The tags are computed once per process (about 200,000 CRC16s, a few milliseconds); the table is the same in
 * every process and language that follows the rule above. Thread-safe.
 */
public final class GenerationKeys {

    private static final String[] TAGS = computeTags();

    private GenerationKeys() {
    }

    /** Returns the generation tag of a slot. */
    public static String tag(int slot) {
        return TAGS[slot];
    }

    /** Returns the glob of every generation counter key of the key space, {@code cc:sys:gen:*}. */
    public static String pattern(KeySpace keySpace) {
        return keySpace.systemPrefix() + "gen:*";
    }

    /** Returns the generation counter key of a slot in the key space, e.g. {@code cc:sys:gen:{3e}}. */
    public static String key(KeySpace keySpace, int slot) {
        return keySpace.systemPrefix() + "gen:{" + TAGS[slot] + "}";
    }

    /** Returns the generation counter key of the slot a Redis key lives in. */
    public static String keyFor(KeySpace keySpace, String redisKey) {
        return key(keySpace, HashSlot.of(redisKey));
    }

    private static String[] computeTags() {
        String[] tags = new String[HashSlot.SLOTS];
        int missing = HashSlot.SLOTS;
        for (long i = 0; missing > 0; i++) {
            String candidate = Long.toString(i, 36);
            int slot = HashSlot.ofTag(candidate);
            if (tags[slot] == null) {
                tags[slot] = candidate;
                missing--;
            }
        }
        return tags;
    }
}
