package dev.commitcast.keys;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Time-to-live of cached values, per {@link KeyKind}, for Redis (L2) and the in-process cache (L1).
 *
 * <p>Invalidation is event-driven: a committed change evicts its dependent keys within the pipeline's lag. TTLs
 * are only a safety net that bounds staleness if an event is lost or mis-mapped, and a cap on memory held by
 * cold keys. The defaults are deliberately short while the pipeline is new; once its lag and completeness are
 * trusted (monitored watermark lag, no fallback invalidations), longer values cut database load, e.g. settings,
 * roles and role permissions 1 h, user 10 min, user list 5 min.
 *
 * <p>L2 TTLs are jittered by a uniform factor in {@code [1 - jitter, 1 + jitter]} so that keys filled together
 * (a cold start, a bulk invalidation) do not all expire in the same instant and stampede the database. Results
 * are whole milliseconds (Redis {@code PX}), at least 1 ms.
 *
 * <p>The L1 TTL is {@code min(L2 base TTL, l1Max)} without jitter: an L1 entry never outlives the L2 base TTL, and
 * l1Max bounds how long an instance that missed a broadcast can serve stale data.
 *
 * <p>Immutable and thread-safe; the {@link RandomGenerator} passed in must be safe for the calling thread (e.g.
 * {@code ThreadLocalRandom.current()}). Build with {@link #builder()}; every setting is validated when set.
 */
public final class TtlPolicy {

    /** Default L2 TTL of {@link KeyKind#SETTINGS}: 300 s. */
    public static final Duration DEFAULT_SETTINGS_TTL = Duration.ofSeconds(300);
    /** Default L2 TTL of {@link KeyKind#ROLES}: 600 s. */
    public static final Duration DEFAULT_ROLES_TTL = Duration.ofSeconds(600);
    /** Default L2 TTL of {@link KeyKind#ROLE_PERMISSIONS}: 900 s. */
    public static final Duration DEFAULT_ROLE_PERMISSIONS_TTL = Duration.ofSeconds(900);
    /** Default L2 TTL of {@link KeyKind#USER}: 15 s; users change most often. */
    public static final Duration DEFAULT_USER_TTL = Duration.ofSeconds(15);
    /** Default L2 TTL of {@link KeyKind#USER_LIST}: 60 s. */
    public static final Duration DEFAULT_USER_LIST_TTL = Duration.ofSeconds(60);
    /** Default TTL of a cached "not found" (404) answer: 5 s, short because a create must become visible fast. */
    public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(5);
    /** Default jitter: 0.1, i.e. every L2 TTL is spread over ±10 %. */
    public static final double DEFAULT_JITTER = 0.1;
    /** Default cap of L1 TTLs: 60 s. */
    public static final Duration DEFAULT_L1_MAX_TTL = Duration.ofSeconds(60);
    /** Longest accepted TTL: beyond a year a TTL is a misconfiguration (and would overflow millisecond maths). */
    public static final Duration MAX_TTL = Duration.ofDays(365);
    /** Largest accepted jitter: beyond ±50 % a TTL no longer says how long a value lives. */
    public static final double MAX_JITTER = 0.5;

    private static final TtlPolicy DEFAULTS = builder().build();

    private final Map<KeyKind, Duration> l2Ttls;
    private final Duration negativeTtl;
    private final double jitter;
    private final Duration l1MaxTtl;

    private TtlPolicy(Builder builder) {
        this.l2Ttls = new EnumMap<>(builder.l2Ttls);
        this.negativeTtl = builder.negativeTtl;
        this.jitter = builder.jitter;
        this.l1MaxTtl = builder.l1MaxTtl;
    }

    /** Returns the policy with every {@code DEFAULT_*} value. */
    public static TtlPolicy defaults() {
        return DEFAULTS;
    }

    /** Returns a builder preset with the {@code DEFAULT_*} values. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder preset with this policy's values. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.l2Ttls.putAll(l2Ttls);
        builder.negativeTtl = negativeTtl;
        builder.jitter = jitter;
        builder.l1MaxTtl = l1MaxTtl;
        return builder;
    }

    /** Returns the L2 TTL of a value of this kind, jittered. */
    public Duration l2Ttl(KeyKind kind, RandomGenerator random) {
        return jittered(baseL2Ttl(kind), random);
    }

    /** Returns the L2 TTL of a cached "not found" answer, jittered. */
    public Duration negativeTtl(RandomGenerator random) {
        return jittered(negativeTtl, random);
    }

    /** Returns the L1 TTL of a value of this kind: {@code min(baseL2Ttl(kind), l1MaxTtl())}, not jittered. */
    public Duration l1Ttl(KeyKind kind) {
        Duration base = baseL2Ttl(kind);
        return base.compareTo(l1MaxTtl) <= 0 ? base : l1MaxTtl;
    }

    /** Returns the configured L2 TTL of a kind before jitter. */
    public Duration baseL2Ttl(KeyKind kind) {
        return l2Ttls.get(Objects.requireNonNull(kind, "kind"));
    }

    /** Returns the configured negative TTL before jitter. */
    public Duration baseNegativeTtl() {
        return negativeTtl;
    }

    /** Returns the jitter fraction, in {@code [0, 0.5]}. */
    public double jitter() {
        return jitter;
    }

    /** Returns the cap of L1 TTLs. */
    public Duration l1MaxTtl() {
        return l1MaxTtl;
    }

    private Duration jittered(Duration base, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        long millis = base.toMillis();
        if (jitter > 0) {
            double factor = 1 + jitter * (2 * random.nextDouble() - 1);
            millis = Math.round(millis * factor);
        }
        return Duration.ofMillis(Math.max(1, millis));
    }

    @Override
    public String toString() {
        return "TtlPolicy[l2=" + l2Ttls + ", negative=" + negativeTtl + ", jitter=" + jitter
                + ", l1Max=" + l1MaxTtl + "]";
    }

    /** Mutable, single-threaded builder of {@link TtlPolicy}; each setter fails fast on a bad value. */
    public static final class Builder {

        private final EnumMap<KeyKind, Duration> l2Ttls = new EnumMap<>(Map.of(
                KeyKind.SETTINGS, DEFAULT_SETTINGS_TTL,
                KeyKind.ROLES, DEFAULT_ROLES_TTL,
                KeyKind.ROLE_PERMISSIONS, DEFAULT_ROLE_PERMISSIONS_TTL,
                KeyKind.USER, DEFAULT_USER_TTL,
                KeyKind.USER_LIST, DEFAULT_USER_LIST_TTL));
        private Duration negativeTtl = DEFAULT_NEGATIVE_TTL;
        private double jitter = DEFAULT_JITTER;
        private Duration l1MaxTtl = DEFAULT_L1_MAX_TTL;

        private Builder() {
        }

        /** Sets the L2 TTL of one kind; must be positive and at most {@link TtlPolicy#MAX_TTL}. */
        public Builder l2Ttl(KeyKind kind, Duration ttl) {
            Objects.requireNonNull(kind, "kind");
            l2Ttls.put(kind, positive("l2Ttl(" + kind + ")", ttl));
            return this;
        }

        /** Sets the L2 TTL of {@link KeyKind#SETTINGS}. */
        public Builder settings(Duration ttl) {
            return l2Ttl(KeyKind.SETTINGS, ttl);
        }

        /** Sets the L2 TTL of {@link KeyKind#ROLES}. */
        public Builder roles(Duration ttl) {
            return l2Ttl(KeyKind.ROLES, ttl);
        }

        /** Sets the L2 TTL of {@link KeyKind#ROLE_PERMISSIONS}. */
        public Builder rolePermissions(Duration ttl) {
            return l2Ttl(KeyKind.ROLE_PERMISSIONS, ttl);
        }

        /** Sets the L2 TTL of {@link KeyKind#USER}. */
        public Builder user(Duration ttl) {
            return l2Ttl(KeyKind.USER, ttl);
        }

        /** Sets the L2 TTL of {@link KeyKind#USER_LIST}. */
        public Builder userList(Duration ttl) {
            return l2Ttl(KeyKind.USER_LIST, ttl);
        }

        /** Sets the TTL of cached "not found" answers; must be positive and at most {@link TtlPolicy#MAX_TTL}. */
        public Builder negative(Duration ttl) {
            this.negativeTtl = positive("negative", ttl);
            return this;
        }

        /** Sets the jitter fraction; must be in {@code [0, 0.5]}. */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0 && jitter <= MAX_JITTER)) {
                throw new IllegalArgumentException("TtlPolicy jitter must be in [0, " + MAX_JITTER + "], was "
                        + jitter + "; use 0 to disable jitter");
            }
            this.jitter = jitter;
            return this;
        }

        /** Sets the cap of L1 TTLs; must be positive and at most {@link TtlPolicy#MAX_TTL}. */
        public Builder l1MaxTtl(Duration ttl) {
            this.l1MaxTtl = positive("l1MaxTtl", ttl);
            return this;
        }

        /** Returns the policy; every value was validated when set. */
        public TtlPolicy build() {
            return new TtlPolicy(this);
        }

        private static Duration positive(String setting, Duration ttl) {
            Objects.requireNonNull(ttl, () -> "TtlPolicy " + setting + " must not be null");
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("TtlPolicy " + setting + " must be positive, was " + ttl);
            }
            if (ttl.compareTo(MAX_TTL) > 0) {
                throw new IllegalArgumentException("TtlPolicy " + setting + " must be at most " + MAX_TTL
                        + ", was " + ttl);
            }
            return ttl;
        }
    }
}
