package dev.commitcast.api.config;

import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Rules;
import dev.commitcast.core.Secrets;
import dev.commitcast.redis.RedisEndpoint;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.ReadableBytes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.commitcast.api.config.ConfigChecks.atLeast;
import static dev.commitcast.api.config.ConfigChecks.between;
import static dev.commitcast.api.config.ConfigChecks.orDefault;
import static dev.commitcast.api.config.ConfigChecks.positive;

/**
 * Every setting of the read API, bound from {@code commitcast.*}. Immutable; each record validates its values when
 * constructed and throws {@link InvalidConfigurationException} naming the key and value, so a misconfigured service
 * refuses to start. An absent value takes the {@code DEFAULT_*} constant documented beside it.
 *
 * @param rules     {@code commitcast.rules} ({@code COMMITCAST_RULES}): the rules file, shared by every Commitcast
 *                  process: kinds, key templates, TTLs and what each table's changes invalidate
 * @param keySpace  {@code commitcast.key-space}: overrides the rules file's key prefix (environments and tests
 *                  sharing one Redis isolate by it); empty keeps the rules file's
 * @param cache     {@code commitcast.cache.*}
 * @param redis     {@code commitcast.redis.*}
 * @param db        {@code commitcast.db.*}
 * @param http      {@code commitcast.http.*}
 * @param staleness {@code commitcast.staleness.*}
 */
@ConfigurationProperties("commitcast")
public record CommitcastConfig(@Nullable String rules, @Nullable String keySpace, @Nullable CacheConfig cache,
                               @Nullable RedisConfig redis, @Nullable DbConfig db, @Nullable HttpConfig http,
                               @Nullable StalenessConfig staleness) {

    /** Applies defaults and validates. */
    public CommitcastConfig {
        rules = rules == null ? "" : rules.strip();
        keySpace = keySpace == null ? "" : keySpace.strip();
        if (!keySpace.isEmpty()) {
            try {
                new KeySpace(keySpace, 1);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException("commitcast.key-space", keySpace, e.getMessage(), e);
            }
        }
        cache = orDefault(cache, new CacheConfig(null, null, null, null, null, null));
        redis = orDefault(redis, new RedisConfig(null, null, null, null, null, null, null, null, null, null));
        db = orDefault(db, new DbConfig(null, null, null));
        http = orDefault(http, new HttpConfig(null, null, null));
        staleness = orDefault(staleness, new StalenessConfig(null, null));
    }

    /** Returns every default: the configuration of an empty {@code commitcast} section. */
    public static CommitcastConfig defaults() {
        return new CommitcastConfig(null, null, null, null, null, null, null);
    }

    /**
     * Loads the rules file, in the configured key space when one is set.
     *
     * @throws InvalidConfigurationException when {@code commitcast.rules} is not set
     * @throws dev.commitcast.core.RulesException naming the file, line and entry of every problem of the file
     */
    public Rules loadRules() {
        if (rules.isEmpty()) {
            throw new InvalidConfigurationException("commitcast.rules", "", "not set: point it (or COMMITCAST_RULES) "
                    + "at the rules file, e.g. examples/orgs-demo/rules.yml", null);
        }
        Rules loaded = Rules.load(Path.of(rules));
        return keySpace.isEmpty() ? loaded : loaded.withKeySpacePrefix(keySpace);
    }

    /**
     * {@code commitcast.redis.*}: the L2 connection.
     *
     * @param uri                     {@code uri}: Redis URI, e.g. {@code redis://127.0.0.1:6379}, {@code rediss://}
     *                                for TLS
     * @param user                    {@code user}: ACL user (env {@code COMMITCAST_REDIS_USER}), empty for default
     * @param password                {@code password}: (env {@code COMMITCAST_REDIS_PASSWORD}, or a file named by
     *                                {@code COMMITCAST_REDIS_PASSWORD_FILE}); never logged or shown
     * @param tlsCaFile               {@code tls-ca-file}: PEM of the CA to trust for {@code rediss://}, empty for
     *                                the JVM's trust store
     * @param commandTimeout          {@code command-timeout}: per-command timeout on the read path
     * @param connectTimeout          {@code connect-timeout}: TCP connect timeout
     * @param requestQueueSize        {@code request-queue-size}: commands queued per connection before rejection
     * @param reconnectDelayMax       {@code reconnect-delay-max}: cap of the exponential reconnect back-off
     * @param breakerFailureThreshold {@code breaker-failure-threshold}: consecutive failures that open the circuit
     * @param breakerCoolDown         {@code breaker-cool-down}: how long the circuit stays open before a probe
     */
    @ConfigurationProperties("redis")
    public record RedisConfig(@Nullable String uri, @Nullable String user, @Nullable String password,
                              @Nullable String tlsCaFile, @Nullable Duration commandTimeout,
                              @Nullable Duration connectTimeout, @Nullable Integer requestQueueSize,
                              @Nullable Duration reconnectDelayMax, @Nullable Integer breakerFailureThreshold,
                              @Nullable Duration breakerCoolDown) {
        /** Default URI: a local Redis. */
        public static final String DEFAULT_URI = "redis://127.0.0.1:6379";
        /** Default read-path command timeout: 50 ms (a healthy GET takes well under 1 ms). */
        public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(50);
        /** Default connect timeout: 1 s. */
        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
        /** Default request queue: 10,000 commands, then new commands are rejected instead of piling up. */
        public static final int DEFAULT_REQUEST_QUEUE_SIZE = 10_000;
        /** Default reconnect back-off cap: 1 s, so L2 returns quickly after an outage. */
        public static final Duration DEFAULT_RECONNECT_DELAY_MAX = Duration.ofSeconds(1);
        /** Default failures before the circuit opens: 5 consecutive. */
        public static final int DEFAULT_BREAKER_FAILURE_THRESHOLD = 5;
        /** Default open-circuit cool-down before a half-open probe: 1 s. */
        public static final Duration DEFAULT_BREAKER_COOL_DOWN = Duration.ofSeconds(1);

        /** Applies defaults and validates. */
        public RedisConfig {
            uri = orDefault(uri, DEFAULT_URI);
            if (!uri.startsWith("redis://") && !uri.startsWith("rediss://") && !RedisEndpoint.of(uri).cluster()) {
                throw ConfigChecks.invalid("commitcast.redis.uri", Secrets.redact(uri),
                        "must be a redis:// or rediss:// URI, or redis-cluster://host:port,host:port for Redis Cluster");
            }
            user = orDefault(user, "");
            password = orDefault(password, "");
            tlsCaFile = orDefault(tlsCaFile, "");
            try {
                RedisEndpoint.of(uri, user, password, tlsCaFile).validate("commitcast.redis");
            } catch (IllegalArgumentException e) {
                throw InvalidConfigurationException.described("commitcast.redis", e.getMessage());
            }
            commandTimeout = between("commitcast.redis.command-timeout", commandTimeout, DEFAULT_COMMAND_TIMEOUT,
                    Duration.ofMillis(1), Duration.ofSeconds(10));
            connectTimeout = positive("commitcast.redis.connect-timeout", connectTimeout, DEFAULT_CONNECT_TIMEOUT);
            requestQueueSize = atLeast("commitcast.redis.request-queue-size", requestQueueSize,
                    DEFAULT_REQUEST_QUEUE_SIZE, 1);
            reconnectDelayMax = positive("commitcast.redis.reconnect-delay-max", reconnectDelayMax,
                    DEFAULT_RECONNECT_DELAY_MAX);
            breakerFailureThreshold = atLeast("commitcast.redis.breaker-failure-threshold",
                    breakerFailureThreshold, DEFAULT_BREAKER_FAILURE_THRESHOLD, 1);
            breakerCoolDown = positive("commitcast.redis.breaker-cool-down", breakerCoolDown,
                    DEFAULT_BREAKER_COOL_DOWN);
        }

        /** Where and as whom to connect. */
        public RedisEndpoint endpoint() {
            return RedisEndpoint.of(uri, user, password, tlsCaFile);
        }

        /** Without the password. */
        @Override
        public String toString() {
            return "RedisConfig[" + endpoint().describe() + ", commandTimeout=" + commandTimeout + ", connectTimeout="
                    + connectTimeout + "]";
        }
    }

    /**
     * {@code commitcast.db.*}: the bounded executor that runs every Postgres call off the event loop.
     *
     * @param threads       {@code threads}: worker threads; keep it at the JDBC pool size
     * @param queueCapacity {@code queue-capacity}: calls waiting for a worker before new ones fail with 503
     * @param queryTimeout  {@code query-timeout}: how long a caller waits for one read before answering 503
     */
    @ConfigurationProperties("db")
    public record DbConfig(@Nullable Integer threads, @Nullable Integer queueCapacity,
                           @Nullable Duration queryTimeout) {
        /** Default workers: 10, Hikari's default pool size. */
        public static final int DEFAULT_THREADS = 10;
        /** Default queue: 1,000 waiting calls. */
        public static final int DEFAULT_QUEUE_CAPACITY = 1_000;
        /** Default read timeout: 5 s. */
        public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(5);

        /** Applies defaults and validates. */
        public DbConfig {
            threads = between("commitcast.db.threads", threads, DEFAULT_THREADS, 1, 512);
            queueCapacity = atLeast("commitcast.db.queue-capacity", queueCapacity, DEFAULT_QUEUE_CAPACITY, 1);
            queryTimeout = positive("commitcast.db.query-timeout", queryTimeout, DEFAULT_QUERY_TIMEOUT);
        }
    }

    /**
     * {@code commitcast.http.*}: API limits and client caching.
     *
     * @param defaultPageSize {@code default-page-size}: users per page when {@code limit} is absent
     * @param maxPageSize     {@code max-page-size}: largest accepted {@code limit}; also the size of the cached
     *                        first page
     * @param clientMaxAge    {@code client-max-age}: cap of {@code Cache-Control: max-age} (which is otherwise the
     *                        value's L1 TTL), bounding how long a browser may reuse a response unasked
     */
    @ConfigurationProperties("http")
    public record HttpConfig(@Nullable Integer defaultPageSize, @Nullable Integer maxPageSize,
                             @Nullable Duration clientMaxAge) {
        /** Default page size: 50. */
        public static final int DEFAULT_PAGE_SIZE = 50;
        /** Default maximum page size: 100. */
        public static final int DEFAULT_MAX_PAGE_SIZE = 100;
        /** Default cap of {@code max-age}: 1 s. */
        public static final Duration DEFAULT_CLIENT_MAX_AGE = Duration.ofSeconds(1);

        /** Applies defaults and validates. */
        public HttpConfig {
            maxPageSize = between("commitcast.http.max-page-size", maxPageSize, DEFAULT_MAX_PAGE_SIZE, 1, 1_000);
            defaultPageSize = between("commitcast.http.default-page-size", defaultPageSize,
                    Math.min(DEFAULT_PAGE_SIZE, maxPageSize), 1, maxPageSize);
            clientMaxAge = orDefault(clientMaxAge, DEFAULT_CLIENT_MAX_AGE);
            if (clientMaxAge.isNegative()) {
                throw ConfigChecks.invalid("commitcast.http.client-max-age", clientMaxAge, "must not be negative");
            }
        }
    }

    /**
     * {@code commitcast.staleness.*}: when to stop trusting the caches because invalidations may be late.
     *
     * @param enabled {@code enabled}: whether the guard is active
     * @param budget  {@code budget}: largest accepted age of the newest pipeline watermark
     */
    @ConfigurationProperties("staleness")
    public record StalenessConfig(@Nullable Boolean enabled, @Nullable Duration budget) {
        /** Default: the guard is on. */
        public static final boolean DEFAULT_ENABLED = true;
        /** Default budget: 5 s. */
        public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(5);

        /** Applies defaults and validates. */
        public StalenessConfig {
            enabled = orDefault(enabled, DEFAULT_ENABLED);
            budget = positive("commitcast.staleness.budget", budget, DEFAULT_BUDGET);
        }
    }

    /**
     * {@code commitcast.cache.*}: the two cache tiers.
     *
     * @param enabled {@code enabled}: kill switch; {@code false} serves every read from Postgres
     * @param l1      {@code l1.*}
     * @param l2      {@code l2.*}
     * @param warm    {@code warm.*}
     * @param readYourWritesWait {@code read-your-writes-wait}: how long a read carrying a write's
     *                           {@code X-Commitcast-Lsn} waits for this instance to have applied that write before it
     *                           reads Postgres instead
     * @param bustOnWrite {@code bust-on-write}: the hand-written "bust on write" that Commitcast replaces, kept as a
     *                    baseline for {@code benchmarks/baselines/}: after a write endpoint's transaction committed,
     *                    it invalidates the keys the rules name for the row it changed — in Redis and in this
     *                    instance's L1 only (other instances are not told) — before answering. Writes made with SQL,
     *                    and rows a write changes indirectly (a deleted role's users), are not seen. Harmless next to
     *                    the pipeline, but not needed with it
     */
    @ConfigurationProperties("cache")
    public record CacheConfig(@Nullable Boolean enabled, @Nullable L1Config l1, @Nullable L2Config l2,
                              @Nullable WarmConfig warm, @Nullable Duration readYourWritesWait,
                              @Nullable Boolean bustOnWrite) {
        /** Default: caching on. */
        public static final boolean DEFAULT_ENABLED = true;
        /** Default read-your-writes wait: 100 ms. */
        public static final Duration DEFAULT_READ_YOUR_WRITES_WAIT = Duration.ofMillis(100);
        /** Default: no bust on write; the CDC pipeline invalidates every committed change, whoever made it. */
        public static final boolean DEFAULT_BUST_ON_WRITE = false;

        /** Applies defaults and validates. */
        public CacheConfig {
            enabled = orDefault(enabled, DEFAULT_ENABLED);
            bustOnWrite = orDefault(bustOnWrite, DEFAULT_BUST_ON_WRITE);
            l1 = orDefault(l1, new L1Config(null, null, null));
            l2 = orDefault(l2, new L2Config(null, null));
            warm = orDefault(warm, new WarmConfig(null, null));
            readYourWritesWait = between("commitcast.cache.read-your-writes-wait", readYourWritesWait,
                    DEFAULT_READ_YOUR_WRITES_WAIT, Duration.ZERO, Duration.ofMinutes(1));
        }

        /**
         * {@code commitcast.cache.l1.*}: the in-process Caffeine tier.
         *
         * @param enabled   {@code enabled}: whether L1 is used (off measures L2 alone)
         * @param maxWeight {@code max-weight}: bound of the cached bytes, e.g. {@code 64MB}
         * @param maxTtl    {@code max-ttl}: cap of every L1 TTL (an L1 entry lives min(kind's TTL, this)); bounds
         *                  how long an instance that missed a broadcast could serve a stale value
         */
        @ConfigurationProperties("l1")
        public record L1Config(@Nullable Boolean enabled, @Nullable @ReadableBytes Long maxWeight,
                               @Nullable Duration maxTtl) {
            /** Default: L1 on. */
            public static final boolean DEFAULT_ENABLED = true;
            /** Default bound: 64 MiB of cached response bytes. */
            public static final long DEFAULT_MAX_WEIGHT = 64L << 20;
            /** Default cap of L1 TTLs: 60 s. */
            public static final Duration DEFAULT_MAX_TTL = Duration.ofSeconds(60);

            /** Applies defaults and validates. */
            public L1Config {
                enabled = orDefault(enabled, DEFAULT_ENABLED);
                maxWeight = atLeast("commitcast.cache.l1.max-weight", maxWeight, DEFAULT_MAX_WEIGHT, 1024L);
                maxTtl = between("commitcast.cache.l1.max-ttl", maxTtl, DEFAULT_MAX_TTL, Duration.ofMillis(1),
                        Duration.ofDays(365));
            }
        }

        /**
         * {@code commitcast.cache.l2.*}: the shared Redis tier.
         *
         * @param enabled  {@code enabled}: whether L2 is used
         * @param leaseTtl {@code lease-ttl}: lifetime of a fill lease; must exceed a Postgres read
         */
        @ConfigurationProperties("l2")
        public record L2Config(@Nullable Boolean enabled, @Nullable Duration leaseTtl) {
            /** Default: L2 on. */
            public static final boolean DEFAULT_ENABLED = true;
            /** Default lease lifetime: 2 s. */
            public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(2);

            /** Applies defaults and validates. */
            public L2Config {
                enabled = orDefault(enabled, DEFAULT_ENABLED);
                leaseTtl = between("commitcast.cache.l2.lease-ttl", leaseTtl, DEFAULT_LEASE_TTL,
                        Duration.ofMillis(10), Duration.ofMinutes(1));
            }
        }

        /**
         * {@code commitcast.cache.warm.*}: what to load right after start.
         *
         * @param orgs {@code orgs}: warm settings, roles and first user page of the first N organisations by id
         * @param keys {@code keys}: further keys to warm, as rendered Redis keys, e.g. {@code cc:v1:org:{1}:roles}
         */
        @ConfigurationProperties("warm")
        public record WarmConfig(@Nullable Integer orgs, @Nullable List<String> keys) {
            /** Default: no warming. */
            public static final int DEFAULT_ORGS = 0;

            /** Applies defaults and validates. */
            public WarmConfig {
                orgs = atLeast("commitcast.cache.warm.orgs", orgs, DEFAULT_ORGS, 0);
                keys = keys == null ? List.of() : List.copyOf(keys);
            }
        }
    }
}
