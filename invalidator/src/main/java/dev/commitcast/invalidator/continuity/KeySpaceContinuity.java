package dev.commitcast.invalidator.continuity;

import dev.commitcast.core.Rules;
import dev.commitcast.invalidator.apply.Await;
import dev.commitcast.redis.EvictionPublisher;
import dev.commitcast.redis.RedisInvalidation;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this invalidator can vouch for the key space: that every cached value was filled or invalidated under its
 * rules since the last full invalidation. A watermark is published (the API trusts its caches on it) only while it
 * can. Redis key {@link dev.commitcast.core.KeySpace#rulesKey()} holds the fingerprint the key space was last made
 * consistent under, shared by every process and surviving restarts:
 * <ul>
 *   <li>{@link #vouch()} — before a watermark is published: when the key holds another fingerprint (the rules
 *       changed) or none (first start, or continuity was lost), everything is invalidated first — generations of
 *       every slot bumped, every key of the key space deleted, a flush broadcast to every L1 — and the key set to
 *       this invalidator's fingerprint.</li>
 *   <li>{@link #suspend} — the connector writes markers under other rules (it may capture other tables, so changes
 *       may be lost): the key is deleted and no watermark is published until agreeing markers return
 *       ({@link #resume()}); the next {@link #vouch()} invalidates everything.</li>
 * </ul>
 * A full invalidation is idempotent and over-invalidates at worst, so two instances doing it is harmless.
 *
 * <p>Confined to the consumer thread, except {@link #state()}.
 */
public final class KeySpaceContinuity {

    /** Where this instance stands. */
    public enum State {
        /** Not yet compared with the key space's fingerprint (at start, or after {@link #resume()}). */
        UNVERIFIED,
        /** The key space is consistent under this invalidator's rules: watermarks may be published. */
        VERIFIED,
        /** The connector's markers are written under other rules: no watermark is published. */
        SUSPENDED
    }

    /** Why a full invalidation happened, as the metric's {@code reason} tag. */
    public enum Reason {
        /** The key space was made consistent under other rules. */
        RULES_CHANGED("rules-changed"),
        /** Nothing records under which rules the key space is consistent: first start, or markers of other rules. */
        UNKNOWN("unknown");

        private final String tag;

        Reason(String tag) {
            this.tag = tag;
        }

        /** The metric tag value. */
        public String tag() {
            return tag;
        }
    }

    /** Told of every full invalidation, for metrics. */
    public interface Listener {
        void fullInvalidation(Reason reason);
    }

    private static final Logger LOG = LoggerFactory.getLogger(KeySpaceContinuity.class);

    private final RedisClusterAsyncCommands<String, String> redis;
    private final RedisInvalidation invalidation;
    private final EvictionPublisher broadcast;
    private final Rules rules;
    private final String key;
    private final Listener listener;
    private final Duration timeout;
    private volatile State state = State.UNVERIFIED;

    public KeySpaceContinuity(RedisClusterAsyncCommands<String, String> redis, RedisInvalidation invalidation,
                              EvictionPublisher broadcast, Rules rules, Listener listener, Duration timeout) {
        this.redis = redis;
        this.invalidation = invalidation;
        this.broadcast = broadcast;
        this.rules = rules;
        this.key = rules.keySpace().rulesKey();
        this.listener = listener;
        this.timeout = timeout;
    }

    /**
     * Returns whether a watermark may be published, making the key space consistent under this invalidator's rules
     * first when that is not known.
     *
     * @throws dev.commitcast.invalidator.apply.RetriableStepException when Redis fails (nothing is vouched for)
     */
    public boolean vouch() {
        if (state == State.VERIFIED) {
            return true;
        }
        if (state == State.SUSPENDED) {
            return false;
        }
        String fingerprint = rules.fingerprint();
        String recorded = Await.redis(() -> redis.get(key), timeout, "GET " + key);
        if (!fingerprint.equals(recorded)) {
            Reason reason = recorded == null ? Reason.UNKNOWN : Reason.RULES_CHANGED;
            LOG.warn("Invalidating everything in key space {} before publishing a watermark: {}",
                    rules.keySpace().keyPrefix(), recorded == null
                            ? key + " records no rules (first start, or markers of other rules were seen)"
                            : "it was made consistent under rules " + recorded + ", this invalidator runs "
                            + fingerprint);
            Await.redis(() -> invalidation.invalidate(rules.everything()), timeout, "invalidation of everything");
            Await.redis(() -> broadcast.publishFlushAll(null), timeout, "L1 flush broadcast");
            Await.redis(() -> redis.set(key, fingerprint), timeout, "SET " + key);
            listener.fullInvalidation(reason);
            LOG.info("Key space {} invalidated and recorded as consistent under rules {}",
                    rules.keySpace().keyPrefix(), fingerprint);
        }
        state = State.VERIFIED;
        return true;
    }

    /**
     * The connector writes markers under other rules: forget that the key space is consistent, publish no watermark
     * until {@link #resume()}.
     *
     * @throws dev.commitcast.invalidator.apply.RetriableStepException when Redis fails
     */
    public void suspend() {
        if (state != State.SUSPENDED) {
            Await.redis(() -> redis.del(key), timeout, "DEL " + key);
            state = State.SUSPENDED;
        }
    }

    /** Agreeing markers again: the next {@link #vouch()} invalidates everything (the key was deleted). */
    public void resume() {
        if (state == State.SUSPENDED) {
            state = State.UNVERIFIED;
        }
    }

    /** Returns the state; thread-safe. */
    public State state() {
        return state;
    }
}
