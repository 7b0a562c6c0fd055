package dev.commitcast.invalidator.apply;

/**
 * Callbacks at the points of a batch where a crash matters, so end-to-end tests can kill the invalidator there.
 * Production uses {@link #NONE}.
 *
 * <p>Called on the consumer thread, once per attempt (a batch retried after a Redis failure passes through
 * {@link #beforeDelete} again). A hook that throws {@link SimulatedCrash} stops the invalidator at once, without
 * committing the batch's offsets, as a killed process would; any other exception fails the invalidator the same way.
 */
public interface ApplyHooks {

    /** Hooks that do nothing. */
    ApplyHooks NONE = new ApplyHooks() {
    };

    /** After the batch was decoded and its dead letters acknowledged, before any Redis delete. */
    default void beforeDelete(BatchInfo batch) {
    }

    /** After the Redis deletes (L2) succeeded, before the L1 broadcast. */
    default void afterDelete(BatchInfo batch) {
    }

    /** After the deletes, the broadcast and the watermark store succeeded, before the offsets are committed. */
    default void beforeCommit(BatchInfo batch) {
    }
}
