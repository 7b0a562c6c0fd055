package dev.commitcast.invalidator.config;

import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Rules;
import dev.commitcast.core.Secrets;
import dev.commitcast.events.ChangeTopics;
import dev.commitcast.redis.RedisEndpoint;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Everything the invalidator needs, bound from {@code commitcast.invalidator.*} by Micronaut or built with
 * {@link #builder(String, String)} by code that runs the {@code Invalidator} in-process (tests, benchmarks).
 *
 * <p>The compact constructor validates every value and names the property key, the bad value and the fix, so a
 * service that cannot work refuses to start. Immutable.
 *
 * @param kafkaBootstrap        {@code host:port[,host:port]}; {@code COMMITCAST_KAFKA_BOOTSTRAP}
 * @param groupId               consumer group; instances with the same id split the partitions
 * @param topicPrefix           Debezium {@code topic.prefix}: change topics are {@code <prefix>.public.<table>}
 * @param dlqTopic              dead-letter topic; blank means {@code <topicPrefix>.dlq}
 * @param maxPollRecords        upper bound of records per batch
 * @param pollTimeout           how long one poll waits for records; bounds heartbeat jitter
 * @param redisUri              {@code redis://host:port} ({@code rediss://} for TLS); {@code COMMITCAST_REDIS_URL}
 * @param redisUser             ACL user, empty for the default user; {@code COMMITCAST_REDIS_USER}
 * @param redisPassword         its password; {@code COMMITCAST_REDIS_PASSWORD} or a file named by
 *                              {@code COMMITCAST_REDIS_PASSWORD_FILE}. Never logged, shown or part of a message
 * @param redisTlsCaFile        PEM of the CA to trust for {@code rediss://}, empty for the JVM's trust store;
 *                              {@code COMMITCAST_REDIS_TLS_CA_FILE}
 * @param redisCommandTimeout   timeout of every Redis command (and of connecting)
 * @param redisRequestQueueSize bound of Lettuce's request queue; commands beyond it fail instead of piling up
 * @param keySpace              key space prefix ({@code commitcast.key-space}); blank means the rules file's prefix
 * @param retryInitialBackoff   first wait before re-applying a batch whose Redis or DLQ step failed
 * @param retryMaxBackoff       cap of the doubling backoff (also caps Lettuce's reconnect delay)
 * @param heartbeatInterval     how often the global watermark is published when idle
 * @param applyTimeout          bound of one attempt to apply a batch to Redis (deletes, SCANs, broadcast)
 * @param rules                 the rules file ({@code commitcast.rules}, {@code COMMITCAST_RULES}): the kinds, keys
 *                              and what each table's changes invalidate
 * @param sessionTimeout        Kafka {@code session.timeout.ms}: how long the group waits for a member that stopped
 *                              heartbeating (a killed invalidator) before its partitions go to another member
 * @param commitInterval        least time between two offset commits: applied batches' offsets are committed
 *                              together once it has passed (and always on a rebalance or a stop); {@code 0} commits
 *                              after every batch. A crash re-applies at most this much more (harmless: deletes are
 *                              idempotent)
 */
@ConfigurationProperties(InvalidatorConfig.PREFIX)
public record InvalidatorConfig(
        @Bindable(defaultValue = "") String kafkaBootstrap,
        @Bindable(defaultValue = InvalidatorConfig.DEFAULT_GROUP_ID) String groupId,
        @Bindable(defaultValue = InvalidatorConfig.DEFAULT_TOPIC_PREFIX) String topicPrefix,
        @Bindable(defaultValue = "") String dlqTopic,
        @Bindable(defaultValue = "" + InvalidatorConfig.DEFAULT_MAX_POLL_RECORDS) int maxPollRecords,
        @Bindable(defaultValue = "200ms") Duration pollTimeout,
        @Bindable(defaultValue = "") String redisUri,
        @Bindable(defaultValue = "") String redisUser,
        @Bindable(defaultValue = "") String redisPassword,
        @Bindable(defaultValue = "") String redisTlsCaFile,
        @Bindable(defaultValue = "2s") Duration redisCommandTimeout,
        @Bindable(defaultValue = "" + InvalidatorConfig.DEFAULT_REDIS_REQUEST_QUEUE_SIZE) int redisRequestQueueSize,
        @Bindable(defaultValue = "") String keySpace,
        @Bindable(defaultValue = "100ms") Duration retryInitialBackoff,
        @Bindable(defaultValue = "5s") Duration retryMaxBackoff,
        @Bindable(defaultValue = "1s") Duration heartbeatInterval,
        @Bindable(defaultValue = "30s") Duration applyTimeout,
        @Bindable(defaultValue = "10s") Duration sessionTimeout,
        @Bindable(defaultValue = "") String rules,
        @Bindable(defaultValue = "100ms") Duration commitInterval) {

    /** Property prefix of every component. */
    public static final String PREFIX = "commitcast.invalidator";
    public static final String DEFAULT_GROUP_ID = "commitcast-invalidator";
    public static final String DEFAULT_TOPIC_PREFIX = "commitcast";
    /** Enough to amortise a Redis round trip, small enough to keep one batch's key set and SCANs short. */
    public static final int DEFAULT_MAX_POLL_RECORDS = 500;
    public static final int MAX_MAX_POLL_RECORDS = 10_000;
    public static final int DEFAULT_REDIS_REQUEST_QUEUE_SIZE = 10_000;
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(200);
    public static final Duration DEFAULT_REDIS_COMMAND_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_RETRY_INITIAL_BACKOFF = Duration.ofMillis(100);
    public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofSeconds(5);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_APPLY_TIMEOUT = Duration.ofSeconds(30);
    /**
     * 10 s instead of Kafka's 45 s: after a crash (SIGKILL, OOM, lost host) the partitions of the dead invalidator
     * wait this long for a new owner, and the API bypasses its caches meanwhile. At least the broker's
     * {@code group.min.session.timeout.ms} (6 s by default).
     */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    /**
     * A commit is a synchronous round trip to the group coordinator and a write to {@code __consumer_offsets}. After
     * every batch, at 1,000 changes/s that was one commit per few changes, and the next batch waited for each one.
     */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);
    /** Kafka's default {@code max.poll.interval.ms}: every wait between two polls must stay well below it. */
    static final Duration MAX_POLL_INTERVAL = Duration.ofMinutes(5);


    /** Validates every component; see the class documentation. */
    public InvalidatorConfig {
        kafkaBootstrap = required("kafka-bootstrap", kafkaBootstrap, "COMMITCAST_KAFKA_BOOTSTRAP",
                "host:port[,host:port]");
        for (String server : kafkaBootstrap.split(",")) {
            if (!server.strip().matches("[^:\\s]+:\\d{1,5}")) {
                throw invalid("kafka-bootstrap", kafkaBootstrap, "every entry must be host:port, e.g. localhost:9092");
            }
        }
        groupId = required("group-id", groupId, null, "a consumer group id, e.g. " + DEFAULT_GROUP_ID);
        topicPrefix = required("topic-prefix", topicPrefix, null, "Debezium's topic.prefix, e.g. "
                + DEFAULT_TOPIC_PREFIX);
        if (!ChangeTopics.validPrefix(topicPrefix)) {
            throw invalid("topic-prefix", topicPrefix, "use 1 to 200 characters of [A-Za-z0-9._-]");
        }
        dlqTopic = dlqTopic == null || dlqTopic.isBlank() ? ChangeTopics.dlq(topicPrefix) : dlqTopic.strip();
        if (!ChangeTopics.validPrefix(dlqTopic)) {
            throw invalid("dlq-topic", dlqTopic, "use 1 to 200 characters of [A-Za-z0-9._-]");
        }
        if (ChangeTopics.pattern(topicPrefix).matcher(dlqTopic).matches()) {
            throw invalid("dlq-topic", dlqTopic, "it matches the change topics " + ChangeTopics.describe(topicPrefix)
                    + ", so the invalidator would consume its own dead letters; use e.g. "
                    + ChangeTopics.dlq(topicPrefix));
        }
        if (maxPollRecords < 1 || maxPollRecords > MAX_MAX_POLL_RECORDS) {
            throw invalid("max-poll-records", maxPollRecords, "use 1.." + MAX_MAX_POLL_RECORDS);
        }
        redisUri = required("redis-uri", redisUri, "COMMITCAST_REDIS_URL", "redis://host:port");
        requireRedisUri(redisUri);
        redisUser = redisUser == null ? "" : redisUser.strip();
        redisPassword = redisPassword == null ? "" : redisPassword;
        redisTlsCaFile = redisTlsCaFile == null ? "" : redisTlsCaFile.strip();
        RedisEndpoint.of(redisUri, redisUser, redisPassword, redisTlsCaFile).validate(PREFIX + ".redis");
        if (redisRequestQueueSize < 100) {
            throw invalid("redis-request-queue-size", redisRequestQueueSize, "use at least 100");
        }
        keySpace = keySpace == null ? "" : keySpace.strip();
        if (!keySpace.isEmpty()) {
            try {
                new KeySpace(keySpace, 1);
            } catch (IllegalArgumentException e) {
                throw invalid("key-space", keySpace, e.getMessage());
            }
        }
        rules = required("rules", rules, "COMMITCAST_RULES", "the path of the rules file, e.g. "
                + "examples/orgs-demo/rules.yml");
        positive("poll-timeout", pollTimeout, Duration.ofMillis(1), Duration.ofSeconds(10));
        positive("redis-command-timeout", redisCommandTimeout, Duration.ofMillis(10), Duration.ofMinutes(1));
        positive("retry-initial-backoff", retryInitialBackoff, Duration.ofMillis(1), Duration.ofMinutes(1));
        positive("retry-max-backoff", retryMaxBackoff, retryInitialBackoff, Duration.ofMinutes(1));
        positive("heartbeat-interval", heartbeatInterval, Duration.ofMillis(10), Duration.ofMinutes(1));
        positive("apply-timeout", applyTimeout, redisCommandTimeout, MAX_POLL_INTERVAL.dividedBy(2));
        positive("session-timeout", sessionTimeout, Duration.ofSeconds(6), Duration.ofMinutes(30));
        positive("commit-interval", commitInterval, Duration.ZERO, Duration.ofSeconds(10));
        if (pollTimeout.compareTo(heartbeatInterval) > 0) {
            throw invalid("poll-timeout", pollTimeout, "must not exceed heartbeat-interval (" + heartbeatInterval
                    + "), or heartbeats would be late when idle");
        }
    }

    /** Where and as whom to reach Redis. */
    public RedisEndpoint redisEndpoint() {
        return RedisEndpoint.of(redisUri, redisUser, redisPassword, redisTlsCaFile);
    }

    /** Every component, the Redis password masked. */
    @Override
    public String toString() {
        return "InvalidatorConfig[kafkaBootstrap=" + kafkaBootstrap + ", groupId=" + groupId + ", topicPrefix="
                + topicPrefix + ", dlqTopic=" + dlqTopic + ", redis=" + redisEndpoint().describe() + ", keySpace="
                + keySpace + ", rules=" + rules + "]";
    }

    /** Returns a builder with every default, for in-process use. */
    public static Builder builder(String kafkaBootstrap, String redisUri) {
        return new Builder(kafkaBootstrap, redisUri);
    }

    /** Returns a builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder(kafkaBootstrap, redisUri);
        b.groupId = groupId;
        b.topicPrefix = topicPrefix;
        b.dlqTopic = dlqTopic;
        b.maxPollRecords = maxPollRecords;
        b.pollTimeout = pollTimeout;
        b.redisCommandTimeout = redisCommandTimeout;
        b.redisUser = redisUser;
        b.redisPassword = redisPassword;
        b.redisTlsCaFile = redisTlsCaFile;
        b.redisRequestQueueSize = redisRequestQueueSize;
        b.keySpace = keySpace;
        b.retryInitialBackoff = retryInitialBackoff;
        b.retryMaxBackoff = retryMaxBackoff;
        b.heartbeatInterval = heartbeatInterval;
        b.applyTimeout = applyTimeout;
        b.sessionTimeout = sessionTimeout;
        b.rules = rules;
        b.commitInterval = commitInterval;
        return b;
    }

    /**
     * Loads the rules file, in the configured key space when one is set.
     *
     * @throws dev.commitcast.core.RulesException naming the file, line and entry of every problem
     */
    public Rules loadRules() {
        Rules loaded = Rules.load(Path.of(rules));
        return keySpace.isEmpty() ? loaded : loaded.withKeySpacePrefix(keySpace);
    }

    /** Returns the subscription pattern of the change topics, {@code <prefix>.<schema>.<table>}. */
    public Pattern changeTopics() {
        return ChangeTopics.pattern(topicPrefix);
    }

    private static String required(String key, String value, String env, String example) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(PREFIX + "." + key + " is not set" + (env == null ? "" : " (set " + env
                    + ")") + ": expected " + example);
        }
        return value.strip();
    }

    private static void requireRedisUri(String uri) {
        try {
            RedisEndpoint.of(uri).validate(PREFIX + ".redis");
        } catch (IllegalArgumentException e) {
            throw invalid("redis-uri", Secrets.redact(uri), "expected redis://host:port, rediss://host:port or "
                    + "redis-cluster://host:port,host:port (" + e.getMessage() + ")");
        }
    }

    private static void positive(String key, Duration value, Duration min, Duration max) {
        if (value == null) {
            throw new IllegalArgumentException(PREFIX + "." + key + " is not set: expected a duration such as 1s");
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw invalid(key, value, "use " + min + " .. " + max);
        }
    }

    private static IllegalArgumentException invalid(String key, Object value, String fix) {
        return new IllegalArgumentException(PREFIX + "." + key + " is '" + value + "': " + fix);
    }

    /** Mutable builder; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private final String kafkaBootstrap;
        private final String redisUri;
        private String redisUser = "";
        private String redisPassword = "";
        private String redisTlsCaFile = "";
        private String groupId = DEFAULT_GROUP_ID;
        private String topicPrefix = DEFAULT_TOPIC_PREFIX;
        private String dlqTopic = "";
        private int maxPollRecords = DEFAULT_MAX_POLL_RECORDS;
        private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
        private Duration redisCommandTimeout = DEFAULT_REDIS_COMMAND_TIMEOUT;
        private int redisRequestQueueSize = DEFAULT_REDIS_REQUEST_QUEUE_SIZE;
        private String keySpace = "";
        private String rules = "";
        private Duration retryInitialBackoff = DEFAULT_RETRY_INITIAL_BACKOFF;
        private Duration retryMaxBackoff = DEFAULT_RETRY_MAX_BACKOFF;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration applyTimeout = DEFAULT_APPLY_TIMEOUT;
        private Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;
        private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;

        private Builder(String kafkaBootstrap, String redisUri) {
            this.kafkaBootstrap = kafkaBootstrap;
            this.redisUri = redisUri;
        }

        public Builder groupId(String value) {
            groupId = value;
            return this;
        }

        public Builder topicPrefix(String value) {
            topicPrefix = value;
            return this;
        }

        public Builder dlqTopic(String value) {
            dlqTopic = value;
            return this;
        }

        public Builder maxPollRecords(int value) {
            maxPollRecords = value;
            return this;
        }

        public Builder pollTimeout(Duration value) {
            pollTimeout = value;
            return this;
        }

        public Builder redisCommandTimeout(Duration value) {
            redisCommandTimeout = value;
            return this;
        }

        public Builder redisRequestQueueSize(int value) {
            redisRequestQueueSize = value;
            return this;
        }

        public Builder keySpace(String value) {
            keySpace = value;
            return this;
        }

        public Builder retryBackoff(Duration initial, Duration max) {
            retryInitialBackoff = initial;
            retryMaxBackoff = max;
            return this;
        }

        public Builder heartbeatInterval(Duration value) {
            heartbeatInterval = value;
            return this;
        }

        public Builder applyTimeout(Duration value) {
            applyTimeout = value;
            return this;
        }

        /** The rules file. */
        public Builder rules(Path value) {
            rules = value.toString();
            return this;
        }

        /** ACL user and password; an empty user is Redis' default user. */
        public Builder redisCredentials(String user, String password) {
            redisUser = user;
            redisPassword = password;
            return this;
        }

        public Builder redisTlsCaFile(Path value) {
            redisTlsCaFile = value == null ? "" : value.toString();
            return this;
        }

        public Builder sessionTimeout(Duration value) {
            sessionTimeout = value;
            return this;
        }

        public Builder commitInterval(Duration value) {
            commitInterval = value;
            return this;
        }

        public InvalidatorConfig build() {
            return new InvalidatorConfig(kafkaBootstrap, groupId, topicPrefix, dlqTopic, maxPollRecords, pollTimeout,
                    redisUri, redisUser, redisPassword, redisTlsCaFile, redisCommandTimeout, redisRequestQueueSize,
                    keySpace, retryInitialBackoff, retryMaxBackoff, heartbeatInterval, applyTimeout, sessionTimeout,
                    rules, commitInterval);
        }
    }
}
