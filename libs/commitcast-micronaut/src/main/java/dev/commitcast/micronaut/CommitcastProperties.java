package dev.commitcast.micronaut;

import dev.commitcast.core.Rules;
import dev.commitcast.redis.RedisEndpoint;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code commitcast.*}: what a Micronaut service needs to read through Commitcast. Validated when the context starts;
 * every error names its key. Secrets (the Redis password) come from the environment or a file
 * ({@code COMMITCAST_REDIS_PASSWORD}, {@code COMMITCAST_REDIS_PASSWORD_FILE}) like every Commitcast process's.
 *
 * @param rules     {@code commitcast.rules}: the rules file, the same one the invalidator runs (required)
 * @param keySpace  {@code commitcast.key-space}: overrides the rules file's key space prefix (tests, side-by-side runs)
 * @param redis     {@code commitcast.redis.*}
 * @param cache     {@code commitcast.cache.*}
 * @param staleness {@code commitcast.staleness.*}
 */
@ConfigurationProperties("commitcast")
public record CommitcastProperties(@Nullable String rules, @Nullable String keySpace, @Nullable Redis redis,
                                   @Nullable Cache cache, @Nullable Staleness staleness) {

    /** Applies defaults. */
    public CommitcastProperties {
        rules = rules == null ? "" : rules.strip();
        keySpace = keySpace == null ? "" : keySpace.strip();
        redis = redis == null ? new Redis(null, null, null, null, null, null) : redis;
        cache = cache == null ? new Cache(null, null, null, null, null) : cache;
        staleness = staleness == null ? new Staleness(null, null) : staleness;
    }

    /** Loads the rules file; a missing setting or an invalid file stops the start naming the key or file and line. */
    public Rules loadRules() {
        if (rules.isEmpty()) {
            throw new ConfigurationException("commitcast.rules: not set; point it (or COMMITCAST_RULES) at the rules "
                    + "file the invalidator runs, e.g. examples/catalog/rules.yml");
        }
        Rules loaded = Rules.load(Path.of(rules));
        try {
            return keySpace.isEmpty() ? loaded : loaded.withKeySpacePrefix(keySpace);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("commitcast.key-space: '" + keySpace + "' " + e.getMessage(), e);
        }
    }

    /**
     * {@code commitcast.redis.*}.
     *
     * @param uri            {@code uri}: {@code redis://} or {@code rediss://}; default {@code redis://127.0.0.1:6379}
     * @param user           {@code user}: ACL user, empty for {@code default}
     * @param password       {@code password}: never logged
     * @param tlsCaFile      {@code tls-ca-file}: PEM of the CA for {@code rediss://}
     * @param commandTimeout {@code command-timeout}: default 50 ms
     * @param connectTimeout {@code connect-timeout}: default 1 s
     */
    @ConfigurationProperties("redis")
    public record Redis(@Nullable String uri, @Nullable String user, @Nullable String password,
                        @Nullable String tlsCaFile, @Nullable Duration commandTimeout,
                        @Nullable Duration connectTimeout) {

        /** Where and as whom to connect; {@link ConfigurationException} naming the key when invalid. */
        public RedisEndpoint endpoint() {
            try {
                return RedisEndpoint.of(uri == null ? "redis://127.0.0.1:6379" : uri, orEmpty(user), orEmpty(password),
                        orEmpty(tlsCaFile)).validate("commitcast.redis");
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return "Redis[" + (uri == null ? "default" : endpoint().describe()) + "]";
        }
    }

    /**
     * {@code commitcast.cache.*}, laid out like the demo API's keys.
     *
     * @param enabled            {@code enabled}: the kill switch; default on
     * @param l1                 {@code l1.*}
     * @param l2                 {@code l2.*}
     * @param loadTimeout        {@code load-timeout}: how long a read waits for its method; default 5 s
     * @param readYourWritesWait {@code read-your-writes-wait}: default 100 ms
     */
    @ConfigurationProperties("cache")
    public record Cache(@Nullable Boolean enabled, @Nullable L1 l1, @Nullable L2 l2, @Nullable Duration loadTimeout,
                        @Nullable Duration readYourWritesWait) {

        /** Applies defaults. */
        public Cache {
            l1 = l1 == null ? new L1(null, null, null) : l1;
            l2 = l2 == null ? new L2(null, null) : l2;
        }

        /**
         * {@code commitcast.cache.l1.*}.
         *
         * @param enabled   {@code enabled}: whether L1 is used; default on
         * @param maxWeight {@code max-weight}: bytes; default 64 MiB
         * @param maxTtl    {@code max-ttl}: default 60 s
         */
        @ConfigurationProperties("l1")
        public record L1(@Nullable Boolean enabled, @Nullable Long maxWeight, @Nullable Duration maxTtl) {
        }

        /**
         * {@code commitcast.cache.l2.*}.
         *
         * @param enabled  {@code enabled}: whether Redis is used; default on
         * @param leaseTtl {@code lease-ttl}: default 2 s
         */
        @ConfigurationProperties("l2")
        public record L2(@Nullable Boolean enabled, @Nullable Duration leaseTtl) {
        }
    }

    /**
     * {@code commitcast.staleness.*}.
     *
     * @param enabled {@code enabled}: the staleness guard; default on
     * @param budget  {@code budget}: default 5 s
     */
    @ConfigurationProperties("staleness")
    public record Staleness(@Nullable Boolean enabled, @Nullable Duration budget) {
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
