package dev.commitcast.cdc;

import dev.commitcast.events.ChangeTopics;
import dev.commitcast.cdc.config.DurationText;
import dev.commitcast.cdc.config.PostgresUrl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Everything the connector needs, validated once. Immutable. Each component is the configuration key
 * {@code commitcast.cdc.<kebab-case name>} (see {@link #fromMap}); defaults are the {@code DEFAULT_*} constants.
 *
 * @param jdbcUrl             {@code jdbc-url}: {@code jdbc:postgresql://host[:port]/db} of the primary (env
 *                            {@code COMMITCAST_PG_JDBC_URL})
 * @param user                {@code user}: a role with LOGIN and REPLICATION (env {@code COMMITCAST_PG_USER})
 * @param password            {@code password} (env {@code COMMITCAST_PG_PASSWORD}); may be empty
 * @param kafkaBootstrap      {@code kafka-bootstrap}: {@code host:port[,host:port]} (env {@code COMMITCAST_KAFKA_BOOTSTRAP})
 * @param topicPrefix         {@code topic-prefix}: Debezium's {@code topic.prefix}; change topics are
 *                            {@code <prefix>.<schema>.<table>}
 * @param partitions          {@code partitions}: partitions of each change topic the connector creates
 * @param replicationFactor   {@code replication-factor}: of created topics; {@code -1} = the broker's default
 * @param slotName            {@code slot-name}: the logical replication slot this connector owns
 * @param publication         {@code publication}: the publication created by the migrations
 * @param dataDir             {@code data-dir}: where the file offset store lives ({@code offsets-<slot>.dat})
 * @param offsetStore         {@code offset-store}: {@code file} or {@code kafka}
 * @param pollInterval        {@code poll-interval}: Debezium's {@code poll.interval.ms}; bounds commit-to-publish latency
 * @param heartbeatInterval   {@code heartbeat-interval}: heartbeat and watermark-marker period
 * @param offsetFlushInterval {@code offset-flush-interval}: how often acknowledged offsets are committed (and the
 *                            slot's confirmed LSN advanced); bounds the duplicates replayed after a crash
 * @param startupTimeout      {@code startup-timeout}: how long start-up waits for Postgres and Kafka to become reachable
 * @param deliveryTimeout     {@code delivery-timeout}: the producer's {@code delivery.timeout.ms}; a batch not
 *                            acknowledged within it fails and the engine restarts from the last committed offset
 * @param linger              {@code linger}: the producer's {@code linger.ms}
 * @param slotPollInterval    {@code slot-poll-interval}: how often retained WAL of the slot is measured
 * @param engineMaxRetries    {@code engine-max-retries}: Debezium's {@code errors.max.retries} for connection errors
 *                            inside one engine run ({@code -1} = unlimited); after that the connector restarts the
 *                            engine with back-off
 * @param rules               {@code rules} (env {@code COMMITCAST_RULES}, via {@code commitcast.rules}): the rules
 *                            file; the start-up checks hold the database against it, and watermark markers carry
 *                            its fingerprint
 * @param onContinuityLoss    {@code on-continuity-loss}: {@code resync} (invalidate every cache through a continuity
 *                            reset, resume from a new slot) or {@code fail} (stop with the reason) when the change
 *                            stream cannot be proven continuous (see {@code StreamContinuity})
 * @param publishColumns      {@code publish-columns}: {@code rules} (the primary key and the columns the rules read;
 *                            see {@code ColumnProjection}) or {@code all} (whole rows, e.g. for other consumers of the
 *                            change topics)
 */
public record CdcSettings(
        String jdbcUrl,
        String user,
        String password,
        String kafkaBootstrap,
        String topicPrefix,
        int partitions,
        short replicationFactor,
        String slotName,
        String publication,
        Path dataDir,
        OffsetStore offsetStore,
        Duration pollInterval,
        Duration heartbeatInterval,
        Duration offsetFlushInterval,
        Duration startupTimeout,
        Duration deliveryTimeout,
        Duration linger,
        Duration slotPollInterval,
        int engineMaxRetries,
        Path rules,
        OnContinuityLoss onContinuityLoss,
        PublishColumns publishColumns) {

    /** Prefix of every key in {@code application.yml}. */
    public static final String PREFIX = "commitcast.cdc.";

    public static final String DEFAULT_TOPIC_PREFIX = "commitcast";
    public static final int DEFAULT_PARTITIONS = 3;
    public static final short DEFAULT_REPLICATION_FACTOR = -1;
    public static final String DEFAULT_SLOT_NAME = "commitcast_slot";
    public static final String DEFAULT_PUBLICATION = "commitcast_pub";
    public static final Path DEFAULT_DATA_DIR = Path.of(".commitcast", "cdc");
    public static final OffsetStore DEFAULT_OFFSET_STORE = OffsetStore.FILE;
    /** Debezium's default of 500 ms would dominate invalidation latency. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(5);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_OFFSET_FLUSH_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_LINGER = Duration.ofMillis(2);
    public static final Duration DEFAULT_SLOT_POLL_INTERVAL = Duration.ofSeconds(5);
    public static final int DEFAULT_ENGINE_MAX_RETRIES = 5;
    public static final OnContinuityLoss DEFAULT_ON_CONTINUITY_LOSS = OnContinuityLoss.RESYNC;
    public static final PublishColumns DEFAULT_PUBLISH_COLUMNS = PublishColumns.RULES;

    private static final Pattern TOPIC_CHARS = Pattern.compile("[a-zA-Z0-9._-]{1,200}");
    private static final Pattern PG_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern HOST_PORT = Pattern.compile("[^\\s,:]+:\\d{1,5}");

    /** Where offsets are stored between runs. */
    public enum OffsetStore {
        /** Kafka Connect's {@code FileOffsetBackingStore} under {@link #dataDir()}. */
        FILE,
        /** Kafka Connect's {@code KafkaOffsetBackingStore}, topic {@link #offsetTopic()}. */
        KAFKA
    }

    /** What the connector does when it cannot prove that the change stream continues where it stopped. */
    public enum OnContinuityLoss {
        /** Write a continuity reset (every cache is invalidated) and resume from a new or the existing slot. */
        RESYNC,
        /** Stop with a message saying what was found. */
        FAIL
    }

    /** Which columns of a changed row the change events carry. */
    public enum PublishColumns {
        /** The primary key and the columns the rules read, where that cannot lose an invalidation. */
        RULES,
        /** Every column. */
        ALL
    }

    /** Validates every component; the message names the key, the bad value and what is expected. */
    public CdcSettings {
        PostgresUrl.parse(key("jdbc-url") + " (env COMMITCAST_PG_JDBC_URL)", jdbcUrl);
        require(user != null && !user.isBlank(), "user", user, "a Postgres role with LOGIN and REPLICATION "
                + "(env COMMITCAST_PG_USER)");
        password = password == null ? "" : password;
        require(kafkaBootstrap != null && splitHosts(kafkaBootstrap),
                "kafka-bootstrap", kafkaBootstrap, "host:port[,host:port] (env COMMITCAST_KAFKA_BOOTSTRAP)");
        require(topicPrefix != null && TOPIC_CHARS.matcher(topicPrefix).matches(), "topic-prefix", topicPrefix,
                "1-200 characters of [a-zA-Z0-9._-]");
        require(partitions >= 1 && partitions <= 10_000, "partitions", partitions, "1..10000");
        require(replicationFactor == -1 || replicationFactor >= 1, "replication-factor", replicationFactor,
                "-1 (broker default) or >= 1");
        require(slotName != null && PG_IDENTIFIER.matcher(slotName).matches(), "slot-name", slotName,
                "lower-case letters, digits and underscores, at most 63, not starting with a digit");
        require(publication != null && PG_IDENTIFIER.matcher(publication).matches(), "publication", publication,
                "an unquoted Postgres identifier (lower-case letters, digits, underscores)");
        Objects.requireNonNull(dataDir, key("data-dir"));
        Objects.requireNonNull(offsetStore, key("offset-store"));
        requireBetween("poll-interval", pollInterval, Duration.ofMillis(1), Duration.ofSeconds(10));
        requireBetween("heartbeat-interval", heartbeatInterval, Duration.ofMillis(100), Duration.ofMinutes(10));
        requireBetween("offset-flush-interval", offsetFlushInterval, Duration.ZERO, Duration.ofMinutes(10));
        requireBetween("startup-timeout", startupTimeout, Duration.ofSeconds(1), Duration.ofHours(1));
        requireBetween("delivery-timeout", deliveryTimeout, Duration.ofSeconds(1), Duration.ofMinutes(10));
        requireBetween("linger", linger, Duration.ZERO, Duration.ofSeconds(1));
        requireBetween("slot-poll-interval", slotPollInterval, Duration.ofMillis(100), Duration.ofMinutes(10));
        require(engineMaxRetries >= -1, "engine-max-retries", engineMaxRetries, "-1 (unlimited) or >= 0");
        require(rules != null && !rules.toString().isBlank(), "rules", rules, "the path of the rules file "
                + "(env COMMITCAST_RULES), e.g. examples/orgs-demo/rules.yml");
        Objects.requireNonNull(onContinuityLoss, key("on-continuity-loss"));
        Objects.requireNonNull(publishColumns, key("publish-columns"));
    }

    /** The parsed {@link #jdbcUrl()}. */
    public PostgresUrl postgres() {
        return PostgresUrl.parse(key("jdbc-url"), jdbcUrl);
    }

    /**
     * JDBC connection properties for one of the connector's own connections (pre-flight, continuity, slot monitor,
     * visibility): the credentials, bounded connect and socket timeouts, and {@code applicationName} so a DBA sees in
     * {@code pg_stat_activity} which part of the connector holds a connection.
     */
    public Properties jdbcProperties(String applicationName, int connectTimeoutSeconds, int socketTimeoutSeconds) {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", String.valueOf(connectTimeoutSeconds));
        props.setProperty("socketTimeout", String.valueOf(socketTimeoutSeconds));
        props.setProperty("ApplicationName", applicationName);
        return props;
    }

    /** Debezium's engine name; offsets are stored under it. One per slot, so two connectors never share offsets. */
    public String engineName() {
        return "commitcast-cdc-" + slotName;
    }

    /** The file offset store's file. */
    public Path offsetFile() {
        return dataDir.resolve("offsets-" + slotName + ".dat");
    }

    /** The Kafka offset store's topic (compacted, created by Kafka Connect's store). */
    public String offsetTopic() {
        return "__commitcast-cdc-offsets";
    }

    /** The change topic of a table, as Debezium names it: {@code <prefix>.<schema>.<table>}. */
    public String changeTopic(String schema, String table) {
        return ChangeTopics.topic(topicPrefix, schema, table);
    }

    /** Topic of Debezium's logical-decoding message events ({@code <prefix>.message}); never published. */
    public String messageTopic() {
        return ChangeTopics.messages(topicPrefix);
    }

    /** Topic of Debezium's heartbeat records ({@code __debezium-heartbeat.<prefix>}); never published. */
    public String heartbeatTopic() {
        return "__debezium-heartbeat." + topicPrefix;
    }

    /** A builder with every default; set at least jdbcUrl, user, password and kafkaBootstrap. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this record's values. */
    public Builder toBuilder() {
        return new Builder().jdbcUrl(jdbcUrl).user(user).password(password).kafkaBootstrap(kafkaBootstrap)
                .topicPrefix(topicPrefix).partitions(partitions).replicationFactor(replicationFactor)
                .slotName(slotName).publication(publication).dataDir(dataDir).offsetStore(offsetStore)
                .pollInterval(pollInterval).heartbeatInterval(heartbeatInterval)
                .offsetFlushInterval(offsetFlushInterval).startupTimeout(startupTimeout)
                .deliveryTimeout(deliveryTimeout).linger(linger).slotPollInterval(slotPollInterval)
                .engineMaxRetries(engineMaxRetries).rules(rules).onContinuityLoss(onContinuityLoss)
                .publishColumns(publishColumns);
    }

    /**
     * Settings from a flat map, as an in-JVM caller (an end-to-end test) has them. Keys are the kebab-case names of
     * the components, with or without the {@code commitcast.cdc.} prefix; absent keys take their default.
     *
     * @throws IllegalArgumentException naming the key and value of the first invalid entry, or listing unknown keys
     */
    public static CdcSettings fromMap(Map<String, String> properties) {
        Map<String, String> p = new LinkedHashMap<>();
        properties.forEach((k, v) -> {
            String name = k.startsWith(PREFIX) ? k.substring(PREFIX.length()) : k;
            if (p.put(name, v) != null) {
                throw new IllegalArgumentException(key(name) + " is given twice, with and without the " + PREFIX
                        + " prefix");
            }
        });
        Set<String> unknown = new TreeSet<>(p.keySet());
        unknown.removeAll(KNOWN_KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown configuration key(s) " + unknown.stream().map(CdcSettings::key)
                    .toList() + "; known keys: " + new TreeSet<>(KNOWN_KEYS));
        }
        Builder b = builder();
        set(p, "jdbc-url", v -> b.jdbcUrl(v));
        set(p, "user", v -> b.user(v));
        set(p, "password", v -> b.password(v));
        set(p, "kafka-bootstrap", v -> b.kafkaBootstrap(v));
        set(p, "topic-prefix", v -> b.topicPrefix(v));
        set(p, "partitions", v -> b.partitions(integer("partitions", v)));
        set(p, "replication-factor", v -> b.replicationFactor((short) integer("replication-factor", v)));
        set(p, "slot-name", v -> b.slotName(v));
        set(p, "publication", v -> b.publication(v));
        set(p, "data-dir", v -> b.dataDir(Path.of(v)));
        set(p, "offset-store", v -> b.offsetStore(offsetStore(v)));
        set(p, "poll-interval", v -> b.pollInterval(duration("poll-interval", v)));
        set(p, "heartbeat-interval", v -> b.heartbeatInterval(duration("heartbeat-interval", v)));
        set(p, "offset-flush-interval", v -> b.offsetFlushInterval(duration("offset-flush-interval", v)));
        set(p, "startup-timeout", v -> b.startupTimeout(duration("startup-timeout", v)));
        set(p, "delivery-timeout", v -> b.deliveryTimeout(duration("delivery-timeout", v)));
        set(p, "linger", v -> b.linger(duration("linger", v)));
        set(p, "slot-poll-interval", v -> b.slotPollInterval(duration("slot-poll-interval", v)));
        set(p, "engine-max-retries", v -> b.engineMaxRetries(integer("engine-max-retries", v)));
        set(p, "rules", v -> b.rules(Path.of(v)));
        set(p, "on-continuity-loss", v -> b.onContinuityLoss(onContinuityLoss(v)));
        set(p, "publish-columns", v -> b.publishColumns(publishColumns(v)));
        return b.build();
    }

    private static final Set<String> KNOWN_KEYS = Set.of("jdbc-url", "user", "password", "kafka-bootstrap",
            "topic-prefix", "partitions", "replication-factor", "slot-name", "publication", "data-dir",
            "offset-store", "poll-interval", "heartbeat-interval", "offset-flush-interval", "startup-timeout",
            "delivery-timeout", "linger", "slot-poll-interval", "engine-max-retries", "rules", "on-continuity-loss",
            "publish-columns");

    private static void set(Map<String, String> p, String key, java.util.function.Consumer<String> setter) {
        String value = p.get(key);
        if (value != null) {
            setter.accept(value.trim());
        }
    }

    private static int integer(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid " + key(key) + " = \"" + value + "\": expected an integer");
        }
    }

    private static Duration duration(String key, String value) {
        return DurationText.parse(key(key), value);
    }

    /** Parses {@code file} or {@code kafka}, case-insensitively. */
    public static OffsetStore offsetStore(String value) {
        try {
            return OffsetStore.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid " + key("offset-store") + " = \"" + value
                    + "\": expected file or kafka");
        }
    }

    /** Parses {@code rules} or {@code all}, case-insensitively. */
    public static PublishColumns publishColumns(String value) {
        try {
            return PublishColumns.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid " + key("publish-columns") + " = \"" + value
                    + "\": expected rules or all");
        }
    }

    /** Parses {@code resync} or {@code fail}, case-insensitively. */
    public static OnContinuityLoss onContinuityLoss(String value) {
        try {
            return OnContinuityLoss.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid " + key("on-continuity-loss") + " = \"" + value
                    + "\": expected resync or fail");
        }
    }

    static String key(String name) {
        return PREFIX + name;
    }

    private static boolean splitHosts(String bootstrap) {
        for (String hostPort : bootstrap.split(",")) {
            if (!HOST_PORT.matcher(hostPort.trim()).matches()) {
                return false;
            }
        }
        return true;
    }

    private static void require(boolean ok, String name, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("Invalid " + key(name) + " = "
                    + (value instanceof String ? "\"" + value + "\"" : value) + ": expected " + expected);
        }
    }

    private static void requireBetween(String name, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, key(name));
        Function<Duration, String> f = DurationText::format;
        require(value.compareTo(min) >= 0 && value.compareTo(max) <= 0, name, f.apply(value),
                "between " + f.apply(min) + " and " + f.apply(max));
    }

    /** Mutable builder; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private String jdbcUrl;
        private String user;
        private String password = "";
        private String kafkaBootstrap;
        private String topicPrefix = DEFAULT_TOPIC_PREFIX;
        private int partitions = DEFAULT_PARTITIONS;
        private short replicationFactor = DEFAULT_REPLICATION_FACTOR;
        private String slotName = DEFAULT_SLOT_NAME;
        private String publication = DEFAULT_PUBLICATION;
        private Path dataDir = DEFAULT_DATA_DIR;
        private OffsetStore offsetStore = DEFAULT_OFFSET_STORE;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration offsetFlushInterval = DEFAULT_OFFSET_FLUSH_INTERVAL;
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private Duration deliveryTimeout = DEFAULT_DELIVERY_TIMEOUT;
        private Duration linger = DEFAULT_LINGER;
        private Duration slotPollInterval = DEFAULT_SLOT_POLL_INTERVAL;
        private int engineMaxRetries = DEFAULT_ENGINE_MAX_RETRIES;
        private Path rules;
        private OnContinuityLoss onContinuityLoss = DEFAULT_ON_CONTINUITY_LOSS;
        private PublishColumns publishColumns = DEFAULT_PUBLISH_COLUMNS;

        private Builder() {
        }

        public Builder jdbcUrl(String v) { jdbcUrl = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder password(String v) { password = v; return this; }
        public Builder kafkaBootstrap(String v) { kafkaBootstrap = v; return this; }
        public Builder topicPrefix(String v) { topicPrefix = v; return this; }
        public Builder partitions(int v) { partitions = v; return this; }
        public Builder replicationFactor(short v) { replicationFactor = v; return this; }
        public Builder slotName(String v) { slotName = v; return this; }
        public Builder publication(String v) { publication = v; return this; }
        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder offsetStore(OffsetStore v) { offsetStore = v; return this; }
        public Builder pollInterval(Duration v) { pollInterval = v; return this; }
        public Builder heartbeatInterval(Duration v) { heartbeatInterval = v; return this; }
        public Builder offsetFlushInterval(Duration v) { offsetFlushInterval = v; return this; }
        public Builder startupTimeout(Duration v) { startupTimeout = v; return this; }
        public Builder deliveryTimeout(Duration v) { deliveryTimeout = v; return this; }
        public Builder linger(Duration v) { linger = v; return this; }
        public Builder slotPollInterval(Duration v) { slotPollInterval = v; return this; }
        public Builder engineMaxRetries(int v) { engineMaxRetries = v; return this; }
        public Builder rules(Path v) { rules = v; return this; }
        public Builder onContinuityLoss(OnContinuityLoss v) { onContinuityLoss = v; return this; }
        public Builder publishColumns(PublishColumns v) { publishColumns = v; return this; }

        /** @throws IllegalArgumentException naming the key and value of the first invalid setting */
        public CdcSettings build() {
            return new CdcSettings(jdbcUrl, user, password, kafkaBootstrap, topicPrefix, partitions,
                    replicationFactor, slotName, publication, dataDir, offsetStore, pollInterval, heartbeatInterval,
                    offsetFlushInterval, startupTimeout, deliveryTimeout, linger, slotPollInterval, engineMaxRetries,
                    rules, onContinuityLoss, publishColumns);
        }
    }

    /** The password is never printed. */
    @Override
    public String toString() {
        return "CdcSettings[jdbcUrl=" + dev.commitcast.core.Secrets.redact(jdbcUrl) + ", user=" + user + ", password=****, kafkaBootstrap="
                + kafkaBootstrap + ", topicPrefix=" + topicPrefix + ", partitions=" + partitions
                + ", replicationFactor=" + replicationFactor + ", slotName=" + slotName + ", publication="
                + publication + ", dataDir=" + dataDir + ", offsetStore=" + offsetStore + ", pollInterval="
                + pollInterval + ", heartbeatInterval=" + heartbeatInterval + ", offsetFlushInterval="
                + offsetFlushInterval + ", startupTimeout=" + startupTimeout + ", deliveryTimeout="
                + deliveryTimeout + ", linger=" + linger + ", slotPollInterval=" + slotPollInterval
                + ", engineMaxRetries=" + engineMaxRetries + ", rules=" + rules + ", onContinuityLoss="
                + onContinuityLoss + ", publishColumns=" + publishColumns + "]";
    }
}
