package dev.commitcast.invalidator.continuity;

import dev.commitcast.core.Rules;
import dev.commitcast.invalidator.apply.Await;
import dev.commitcast.redis.EvictionPublisher;
import dev.commitcast.redis.RedisInvalidation;
import dev.commitcast.redis.RedisServerIdentity;
import io.lettuce.core.KeyValue;
import java.util.List;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this invalidator can vouch for the key space: that every cached value was filled or invalidated under its
 * rules, on this Redis server, since the last full invalidation. A watermark is published (the API trusts its caches
 * on it) only while it can. Two Redis keys, shared by every process, record where the key space was last made
 * consistent: {@link dev.commitcast.core.KeySpace#rulesKey()} (the rules fingerprint) and
 * {@link dev.commitcast.core.KeySpace#serverKey()} (the server's {@code run_id}):
 * <ul>
 *   <li>{@link #vouch()} — before every watermark published: when the server is another one (Redis restarted, and
 *       may have loaded old values and leases from RDB/AOF, or a failover), the rules differ, or nothing is
 *       recorded (first start, markers of other rules seen), everything is invalidated first — generations of every
 *       slot bumped, every key of the key space deleted, a flush broadcast to every L1 — and both keys are set. API
 *       instances trust L2 only on the server the key records ({@code RedisIdentity} in api-service).</li>
 *   <li>{@link #suspend} — the connector writes markers under other rules (it may capture other tables, so changes
 *       may be lost): the rules key is deleted and no watermark is published until agreeing markers return
 *       ({@link #resume()}); the next {@link #vouch()} invalidates everything.</li>
 * </ul>
 * A full invalidation is idempotent and over-invalidates at worst, so two instances doing it is harmless.
 *
 * <p>Confined to the consumer thread, except {@link #state()}.
 */
public final class KeySpaceContinuity {

    /** Where this instance stands. */
    public enum State {
        /** Not yet compared with the recorded rules and server (at start, or after {@link #resume()}). */
        UNVERIFIED,
        /** Consistent under this invalidator's rules on the server last checked: watermarks may be published. */
        VERIFIED,
        /** The connector's markers are written under other rules: no watermark is published. */
        SUSPENDED
    }

    /** Why a full invalidation happened, as the metric's {@code reason} tag. */
    public enum Reason {
        /** The key space was made consistent under other rules. */
        RULES_CHANGED("rules-changed"),
        /** Nothing records under which rules the key space is consistent: first start, or markers of other rules. */
        UNKNOWN("unknown"),
        /**
         * The Redis server is not the one the key space was made consistent on: it restarted (and may have loaded
         * old values and leases from RDB/AOF) or a replica took over.
         */
        REDIS_CHANGED("redis-changed");

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
    private String verifiedServer;

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
        if (state == State.SUSPENDED) {
            return false;
        }
        String server = Await.redis(() -> RedisServerIdentity.runId(redis), timeout, "INFO server");
        if (state == State.VERIFIED && server.equals(verifiedServer)) {
            return true;
        }
        String fingerprint = rules.fingerprint();
        String serverKey = rules.keySpace().serverKey();
        List<KeyValue<String, String>> recorded = Await.redis(() -> redis.mget(key, serverKey), timeout,
                "MGET " + key + " " + serverKey);
        String recordedRules = recorded.get(0).getValueOrElse(null);
        String recordedServer = recorded.get(1).getValueOrElse(null);
        Reason reason = null;
        String why = null;
        if (recordedRules == null && recordedServer == null) {
            reason = Reason.UNKNOWN;
            why = "nothing records under which rules and on which server it is consistent (first start, a Redis "
                    + "restarted without its data, or markers of other rules were seen)";
        } else if (!server.equals(recordedServer)) {
            reason = Reason.REDIS_CHANGED;
            why = "it was made consistent on Redis run_id " + recordedServer + ", this server is " + server
                    + " (a restart, which may have loaded old values from RDB/AOF, or a failover)";
        } else if (!fingerprint.equals(recordedRules)) {
            reason = recordedRules == null ? Reason.UNKNOWN : Reason.RULES_CHANGED;
            why = recordedRules == null ? key + " records no rules (markers of other rules were seen)"
                    : "it was made consistent under rules " + recordedRules + ", this invalidator runs "
                    + fingerprint;
        }
        if (reason != null) {
            LOG.warn("Invalidating everything in key space {} before publishing a watermark: {}",
                    rules.keySpace().keyPrefix(), why);
            Await.redis(() -> invalidation.invalidate(rules.everything()), timeout, "invalidation of everything");
            Await.redis(() -> broadcast.publishFlushAll(null), timeout, "L1 flush broadcast");
            Await.redis(() -> redis.mset(java.util.Map.of(key, fingerprint, serverKey, server)), timeout,
                    "MSET " + key + " " + serverKey);
            listener.fullInvalidation(reason);
            LOG.info("Key space {} invalidated and recorded as consistent under rules {} on Redis {}",
                    rules.keySpace().keyPrefix(), fingerprint, server);
        }
        verifiedServer = server;
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
