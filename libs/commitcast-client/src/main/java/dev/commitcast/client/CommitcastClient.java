package dev.commitcast.client;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.KeyKind;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Namespace;
import dev.commitcast.core.Rules;
import dev.commitcast.core.wire.EvictionCodec;
import dev.commitcast.redis.RedisEndpoint;
import dev.commitcast.redis.RedisInvalidation;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One service instance's connection to Commitcast's caches: the rules, the Redis connections, the L1, the eviction
 * subscription and the staleness guard, shared by every {@link TieredCache} made from it. Build one per process and
 * close it on shutdown:
 *
 * <pre>{@code
 * CommitcastClient client = CommitcastClient.newBuilder(Path.of("rules.yml"))
 *         .redis("redis://127.0.0.1:6379")
 *         .build();
 * TieredCache<String> prices = client.cache("price", ValueCodec.utf8());
 * String price = prices.get(prices.kinds().getFirst().key(productId, "EUR"), key -> loadPrice(key));
 * }</pre>
 *
 * <p>On {@link Builder#build()} the client connects to Redis (waiting up to two connect timeouts; a Redis that is down
 * is retried in the background and reads are served from their loaders meanwhile), subscribes to the eviction channel
 * and, with the staleness guard on, starts checking that the Redis server is the one the invalidator vouches for.
 * Until a fresh watermark has arrived on the broadcast reads bypass the caches ({@link Lookup.Source#BYPASS}).
 *
 * <p>Meters (on {@link Builder#meterRegistry}): the {@link MicrometerStatsCounter} counters unless another
 * {@link StatsCounter} is set, {@code commitcast_l1_size}, {@code commitcast_l1_weight_bytes},
 * {@code commitcast_l1_evictions_total{scope}}, {@code commitcast_l1_flushes_total{reason}},
 * {@code commitcast_l2_circuit_open}, {@code commitcast_l2_server_verified}, {@code commitcast_staleness_seconds},
 * {@code commitcast_broadcast_*}, {@code commitcast_rules_mismatch}, {@code commitcast_rules_info{fingerprint}}.
 * Thread-safe.
 */
public final class CommitcastClient implements AutoCloseable {

    private final Settings settings;
    private final Rules rules;
    private final KeySpace keySpace;
    private final MeterRegistry registry;
    private final StatsCounter stats;
    private final FillHooks hooks;
    private final Executor loaderExecutor;
    private final ExecutorService ownedExecutor;
    private final RedisConnector connector;
    private final L1Cache l1;
    private final SingleFlight flights = new SingleFlight();
    private final L1Evictions evictions;
    private final L2Store l2;
    private final RulesAgreement agreement;
    private final RedisIdentity identity;
    private final StalenessGuard guard;
    private final AppliedWatermark applied = new AppliedWatermark();
    private final EvictionListener listener;
    private final TieredCache<?>[] cacheOfKind;
    private volatile RedisInvalidation invalidation;
    private volatile RedisClusterAsyncCommands<String, String> invalidationCommands;

    private CommitcastClient(Builder builder) {
        this.settings = builder.settings();
        this.rules = builder.rules;
        this.keySpace = rules.keySpace();
        this.registry = builder.registry != null ? builder.registry : new SimpleMeterRegistry();
        this.stats = builder.stats != null ? builder.stats : new MicrometerStatsCounter(registry, rules);
        this.hooks = builder.hooks;
        this.ownedExecutor = builder.loaderExecutor == null ? Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("commitcast-loader-", 0).factory()) : null;
        this.loaderExecutor = builder.loaderExecutor != null ? builder.loaderExecutor : ownedExecutor;
        this.cacheOfKind = new TieredCache<?>[rules.kinds().size()];
        Clock clock = builder.clock;
        this.connector = new RedisConnector(settings);
        this.l1 = new L1Cache(settings.l1MaxWeight(), rules, settings.l1MaxTtl(), registry);
        this.evictions = new L1Evictions(l1, flights, registry);
        this.l2 = new L2Store(connector, keySpace, settings, clock, registry);
        this.agreement = new RulesAgreement(rules, evictions, registry);
        this.identity = new RedisIdentity(connector, keySpace, evictions, settings, registry);
        this.guard = new StalenessGuard(clock, settings, agreement, identity, applied, registry);
        this.listener = new EvictionListener(connector, new EvictionCodec(rules), keySpace, evictions, guard,
                agreement, clock, registry);
    }

    /** Returns a builder for a client of these rules. */
    public static Builder newBuilder(Rules rules) {
        return new Builder(Objects.requireNonNull(rules, "rules"));
    }

    /**
     * Returns a builder for a client of the rules in this file.
     *
     * @throws dev.commitcast.core.RulesException naming the file, line and entry of every problem of the file
     */
    public static Builder newBuilder(Path rulesFile) {
        return newBuilder(Rules.load(rulesFile));
    }

    /**
     * Returns the cache of one kind of the rules.
     *
     * @throws IllegalArgumentException when the rules declare no such kind
     * @throws IllegalStateException    when another cache already serves the kind
     * @param <V> the value type
     */
    public <V> TieredCache<V> cache(String kind, ValueCodec<V> codec) {
        return cache(codec, List.of(kind));
    }

    /**
     * Returns a cache serving several kinds of the rules with one codec.
     *
     * @throws IllegalArgumentException when the rules declare no such kind
     * @throws IllegalStateException    when another cache already serves one of the kinds
     * @param <V> the value type
     */
    public synchronized <V> TieredCache<V> cache(ValueCodec<V> codec, Collection<String> kinds) {
        Objects.requireNonNull(codec, "codec");
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("a cache needs at least one kind");
        }
        List<KeyKind> resolved = new ArrayList<>();
        for (String name : kinds) {
            KeyKind kind = rules.findKind(name).orElseThrow(() -> new IllegalArgumentException("no kind '" + name
                    + "' in the rules " + rules.source() + "; declared: "
                    + rules.kinds().stream().map(KeyKind::name).toList()));
            if (cacheOfKind[kind.index()] != null) {
                throw new IllegalStateException("kind '" + name + "' already has a cache: one cache (and codec) per "
                        + "kind, since L1 and Redis hold one value per key");
            }
            resolved.add(kind);
        }
        TieredCache<V> cache = new TieredCache<>(this, codec, resolved, cacheOfKind.length);
        for (KeyKind kind : resolved) {
            cacheOfKind[kind.index()] = cache;
        }
        return cache;
    }

    /** Returns the rules. */
    public Rules rules() {
        return rules;
    }

    /**
     * Invalidates keys in Redis (values and fill leases, fencing fills in flight) and then in this instance's L1;
     * completes with the number of Redis keys deleted. The pipeline invalidates every committed change by itself; this
     * is for values derived from something it does not capture. Other instances are not told. L1 is evicted even when
     * Redis fails; the stage then fails ({@link L2UnavailableException} before Redis first connected).
     */
    public CompletionStage<Long> invalidate(Collection<CacheKey> keys) {
        List<CacheKey> copy = List.copyOf(keys);
        RedisInvalidation redis = redisInvalidation();
        if (redis == null) {
            evictions.evict(copy);
            return CompletableFuture.failedStage(new L2UnavailableException("Redis not connected yet"));
        }
        return redis.invalidate(copy).whenComplete((deleted, error) -> evictions.evict(copy));
    }

    /** Invalidates every key of the namespace in Redis (generation bump first) and then in this instance's L1. */
    public CompletionStage<Long> invalidate(Namespace namespace) {
        RedisInvalidation redis = redisInvalidation();
        if (redis == null) {
            evictions.evict(namespace);
            return CompletableFuture.failedStage(new L2UnavailableException("Redis not connected yet"));
        }
        return redis.invalidate(namespace).whenComplete((deleted, error) -> evictions.evict(namespace));
    }

    /** Evicts keys from this instance's L1 only, fencing loads in flight. */
    public void evictLocally(Collection<CacheKey> keys) {
        evictions.evict(keys);
    }

    /** Evicts a namespace from this instance's L1 only, fencing loads in flight. */
    public void evictLocally(Namespace namespace) {
        evictions.evict(namespace);
    }

    /**
     * Drops this instance's whole L1; loads in flight cannot fill it.
     *
     * @param reason a short tag value of {@code commitcast_l1_flushes_total}, e.g. {@code operator}
     */
    public void flushLocally(String reason) {
        evictions.flushAll(reason);
    }

    /**
     * Waits until the caches are trusted (a fresh pipeline watermark arrived on the eviction subscription and, with
     * the staleness guard, the Redis server is verified), at most {@code timeout}; returns whether they are. Optional:
     * reads before that are served by their loaders ({@link Lookup.Source#BYPASS}), so a service may start at once.
     */
    public boolean awaitTrust(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!guard.trusted()) {
            if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return true;
    }

    /**
     * Returns the LSN this instance has applied the pipeline through (the newest watermark on the broadcast), in
     * Postgres' text form ({@code 0/1D88F10}), or {@code null} before the first watermark. A write whose
     * {@code pg_current_wal_insert_lsn()} after commit is at or before it is visible through this instance's caches.
     */
    public String appliedLsn() {
        long lsn = applied.lsn();
        return lsn == -1 ? null : dev.commitcast.core.Watermark.pgLsn(lsn);
    }

    /** Returns a snapshot of the client's state. */
    public ClientStatus status() {
        Duration staleness = guard.staleness();
        var watermark = guard.newest();
        return new ClientStatus(settings.enabled(), guard.trusted(), guard.enabled(), staleness, guard.budget(),
                watermark == null ? null : watermark.wire(), appliedLsn(), listener.isSubscribed(), identity.verified(),
                identity.problem(), agreement.ours(), agreement.agrees() ? null : agreement.theirs(),
                settings.l1Enabled(), l1.size(), l1.weight(), settings.l1MaxWeight(), settings.l2Enabled(),
                connector.isConnected(), l2.breaker().state().name(), l2.breaker().consecutiveFailures(),
                flights.size());
    }

    /** Closes the subscription, the Redis connections, the server checks and the loader executor it made. */
    @Override
    public void close() {
        listener.close();
        identity.close();
        connector.close();
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
    }

    private CommitcastClient start() {
        listener.start();
        return this;
    }

    private RedisInvalidation redisInvalidation() {
        RedisClusterAsyncCommands<String, String> commands = connector.commands();
        if (commands == null) {
            return null;
        }
        if (commands != invalidationCommands) {
            invalidation = new RedisInvalidation(commands, rules);
            invalidationCommands = commands;
        }
        return invalidation;
    }

    Settings settings() {
        return settings;
    }

    StatsCounter stats() {
        return stats;
    }

    FillHooks hooks() {
        return hooks;
    }

    Executor loaderExecutor() {
        return loaderExecutor;
    }

    AppliedWatermark applied() {
        return applied;
    }

    CacheTrust trust() {
        return guard;
    }

    L1Cache l1() {
        return l1;
    }

    SingleFlight flights() {
        return flights;
    }

    L2Store l2() {
        return l2;
    }

    /**
     * Collects a client's settings. Every setting has a default suited to a service next to its Redis; each setter
     * validates its argument and names the setting in its {@link IllegalArgumentException}. Not thread-safe.
     */
    public static final class Builder {

        private final Rules rules;
        private RedisEndpoint endpoint = RedisEndpoint.of("redis://127.0.0.1:6379");
        private Duration commandTimeout = Duration.ofMillis(50);
        private Duration connectTimeout = Duration.ofSeconds(1);
        private int requestQueueSize = 10_000;
        private Duration reconnectDelayMax = Duration.ofSeconds(1);
        private int breakerFailureThreshold = 5;
        private Duration breakerCoolDown = Duration.ofSeconds(1);
        private boolean enabled = true;
        private boolean l1Enabled = true;
        private long l1MaxWeight = 64L << 20;
        private Duration l1MaxTtl = Duration.ofSeconds(60);
        private boolean l2Enabled = true;
        private Duration leaseTtl = Duration.ofSeconds(2);
        private boolean stalenessEnabled = true;
        private Duration stalenessBudget = Duration.ofSeconds(5);
        private Duration loadTimeout = Duration.ofSeconds(5);
        private Duration readYourWritesWait = Duration.ofMillis(100);
        private MeterRegistry registry;
        private StatsCounter stats;
        private Clock clock = Clock.systemUTC();
        private FillHooks hooks = FillHooks.NONE;
        private Executor loaderExecutor;

        private Builder(Rules rules) {
            this.rules = rules;
        }

        /** Redis to use as L2, e.g. {@code redis://127.0.0.1:6379}; default that one. */
        public Builder redis(String uri) {
            return redis(RedisEndpoint.of(uri));
        }

        /** Redis to use as L2, with credentials and TLS; default {@code redis://127.0.0.1:6379}. */
        public Builder redis(RedisEndpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint").validate("redis");
            return this;
        }

        /** Timeout of one Redis command on the read path; default 50 ms, within [1 ms, 10 s]. */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = within("commandTimeout", timeout, Duration.ofMillis(1), Duration.ofSeconds(10));
            return this;
        }

        /** TCP connect (and handshake) timeout of Redis connections; default 1 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = within("connectTimeout", timeout, Duration.ofMillis(1), Duration.ofMinutes(1));
            return this;
        }

        /** Commands queued per Redis connection before new ones are rejected; default 10,000. */
        public Builder requestQueueSize(int size) {
            this.requestQueueSize = atLeast("requestQueueSize", size, 1);
            return this;
        }

        /** Cap of the exponential reconnect back-off; default 1 s. */
        public Builder reconnectDelayMax(Duration delay) {
            this.reconnectDelayMax = within("reconnectDelayMax", delay, Duration.ofMillis(1), Duration.ofMinutes(10));
            return this;
        }

        /**
         * The L2 circuit breaker: after {@code failureThreshold} consecutive Redis failures reads skip Redis for
         * {@code coolDown}, then one probe is let through; default 5 failures, 1 s.
         */
        public Builder circuitBreaker(int failureThreshold, Duration coolDown) {
            this.breakerFailureThreshold = atLeast("circuitBreaker.failureThreshold", failureThreshold, 1);
            this.breakerCoolDown = within("circuitBreaker.coolDown", coolDown, Duration.ofMillis(1),
                    Duration.ofHours(1));
            return this;
        }

        /** The kill switch: {@code false} serves every read from its loader ({@code BYPASS}); default on. */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** Whether L1 is used (off measures L2 alone); default on. */
        public Builder l1(boolean enabled) {
            this.l1Enabled = enabled;
            return this;
        }

        /** Bound of the L1's weight ({@link ValueCodec#weigh}, bytes); default 64 MiB, at least 1 KiB. */
        public Builder l1MaxWeight(long bytes) {
            this.l1MaxWeight = atLeast("l1MaxWeight", bytes, 1024);
            return this;
        }

        /**
         * Cap of every L1 TTL (an entry lives min(kind's TTL, this)): bounds how long an instance that missed a
         * broadcast could serve a stale value; default 60 s.
         */
        public Builder l1MaxTtl(Duration ttl) {
            this.l1MaxTtl = within("l1MaxTtl", ttl, Duration.ofMillis(1), Duration.ofDays(365));
            return this;
        }

        /** Whether L2 is used; default on. */
        public Builder l2(boolean enabled) {
            this.l2Enabled = enabled;
            return this;
        }

        /** Lifetime of a fill lease; must exceed a load. Default 2 s, within [10 ms, 1 min]. */
        public Builder leaseTtl(Duration ttl) {
            this.leaseTtl = within("leaseTtl", ttl, Duration.ofMillis(10), Duration.ofMinutes(1));
            return this;
        }

        /**
         * The staleness guard: caches are trusted only while the newest pipeline watermark is within {@code budget},
         * and the Redis server is the one the invalidator vouches for; default on, 5 s. Off trusts the caches without
         * proof (for a cache without a running pipeline, e.g. in tests).
         */
        public Builder stalenessGuard(boolean enabled, Duration budget) {
            this.stalenessEnabled = enabled;
            this.stalenessBudget = within("stalenessGuard.budget", budget, Duration.ofMillis(1), Duration.ofDays(1));
            return this;
        }

        /** How long a read waits for its loader before failing with a timeout; default 5 s. */
        public Builder loadTimeout(Duration timeout) {
            this.loadTimeout = within("loadTimeout", timeout, Duration.ofMillis(1), Duration.ofHours(1));
            return this;
        }

        /**
         * Read-your-writes: how long a read that presents a writer's LSN waits for this instance to have applied the
         * pipeline through it before it reads the source instead; default 100 ms, within [0, 1 min].
         */
        public Builder readYourWritesWait(Duration wait) {
            this.readYourWritesWait = within("readYourWritesWait", wait, Duration.ZERO, Duration.ofMinutes(1));
            return this;
        }

        /**
         * Where loaders run; default a virtual thread per load, owned and closed by the client. Give a bounded
         * executor to bound concurrent loads (e.g. at the database pool's size); the client does not close it.
         */
        public Builder loaderExecutor(Executor executor) {
            this.loaderExecutor = Objects.requireNonNull(executor, "loaderExecutor");
            return this;
        }

        /** Where the client registers its meters; default a private {@link SimpleMeterRegistry}. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        /** Receives the read path's events; default a {@link MicrometerStatsCounter} on the meter registry. */
        public Builder statsCounter(StatsCounter stats) {
            this.stats = Objects.requireNonNull(stats, "statsCounter");
            return this;
        }

        /** The clock of staleness, the circuit breaker and broadcast delays; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Observation points inside fills, for tests that reproduce races; default {@link FillHooks#NONE}. */
        public Builder fillHooks(FillHooks hooks) {
            this.hooks = Objects.requireNonNull(hooks, "fillHooks");
            return this;
        }

        /** Connects, subscribes and returns the client; see the class documentation. */
        public CommitcastClient build() {
            return new CommitcastClient(this).start();
        }

        private Settings settings() {
            return new Settings(endpoint, commandTimeout, connectTimeout, requestQueueSize, reconnectDelayMax,
                    breakerFailureThreshold, breakerCoolDown, enabled, l1Enabled, l1MaxWeight, l1MaxTtl, l2Enabled,
                    leaseTtl, stalenessEnabled, stalenessBudget, loadTimeout, readYourWritesWait);
        }

        private static Duration within(String setting, Duration value, Duration min, Duration max) {
            Objects.requireNonNull(value, setting);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(setting + " must be within [" + min + ", " + max + "], was "
                        + value);
            }
            return value;
        }

        private static int atLeast(String setting, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(setting + " must be >= " + min + ", was " + value);
            }
            return value;
        }

        private static long atLeast(String setting, long value, long min) {
            if (value < min) {
                throw new IllegalArgumentException(setting + " must be >= " + min + ", was " + value);
            }
            return value;
        }
    }
}
