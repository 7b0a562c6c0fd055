package dev.commitcast.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link DevStack} starts and where. Immutable; build with {@link #builder()}, which validates every value and
 * names the bad one.
 *
 * @param workDir        where data, logs and {@code stack.pids} go; empty = a fresh temporary directory, deleted by a
 *                       clean {@link DevStack#close()} (kept when the start failed, for its logs)
 * @param servers        which servers to provide; all by default
 * @param postgresPort   fixed TCP port, or 0 for a free one
 * @param redisPort      fixed TCP port, or 0 for a free one
 * @param kafkaPort      fixed PLAINTEXT port, or 0 for a free one
 * @param kafkaControllerPort fixed KRaft CONTROLLER port, or 0 for a free one
 * @param kafkaPartitions {@code num.partitions} of the broker: the partition count of auto-created topics
 * @param startTimeout   deadline for each server to become ready (also bounds stops and topic creation)
 * @param environment    where {@code COMMITCAST_*} endpoint overrides, binary overrides and {@code PATH} are read;
 *                       {@link System#getenv()} by default, injectable for tests
 * @param containersAllowed whether Testcontainers may be tried when a local binary is missing
 * @param kafkaJvmOptions extra options for the JVM of a local Kafka node (for example an ahead-of-time class cache),
 *                       after the defaults
 */
public record DevStackOptions(
        Optional<Path> workDir,
        Set<ServerKind> servers,
        int postgresPort,
        int redisPort,
        int kafkaPort,
        int kafkaControllerPort,
        int kafkaPartitions,
        Duration startTimeout,
        Map<String, String> environment,
        boolean containersAllowed,
        List<String> kafkaJvmOptions) {

    /** {@code postgresql://user:password@host:port/db} of an existing Postgres (wal_level=logical) to use instead. */
    public static final String ENV_PG_URL = "COMMITCAST_PG_URL";
    /** {@code redis://host:port} of an existing Redis to use instead. */
    public static final String ENV_REDIS_URL = "COMMITCAST_REDIS_URL";
    /** {@code host:port[,host:port]} of an existing Kafka to use instead. */
    public static final String ENV_KAFKA_BOOTSTRAP = "COMMITCAST_KAFKA_BOOTSTRAP";
    /** Directory holding {@code initdb}, {@code postgres} and {@code pg_ctl}; overrides the search. */
    public static final String ENV_PG_BINDIR = "COMMITCAST_PG_BINDIR";
    /** Path of the {@code redis-server} binary; overrides the PATH search. */
    public static final String ENV_REDIS_SERVER = "COMMITCAST_REDIS_SERVER";
    /**
     * When Testcontainers containers are used: {@code fallback} (default: only for a server whose local binary is
     * missing), {@code always} (instead of local binaries and the in-JVM-classpath broker; endpoints from the
     * environment still win) or {@code never} (as {@link #containersAllowed()} false).
     */
    public static final String ENV_CONTAINERS = "COMMITCAST_DEVSTACK_CONTAINERS";
    /** Image of the Postgres container (default {@code postgres:15}); the official image's contract is assumed. */
    public static final String ENV_POSTGRES_IMAGE = "COMMITCAST_POSTGRES_IMAGE";
    /** Image of the Redis container (default {@code redis:7}). */
    public static final String ENV_REDIS_IMAGE = "COMMITCAST_REDIS_IMAGE";
    /** Image of the Kafka container (default {@code apache/kafka} at the version the project builds against). */
    public static final String ENV_KAFKA_IMAGE = "COMMITCAST_KAFKA_IMAGE";

    public static final int DEFAULT_KAFKA_PARTITIONS = 3;
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_PORT = 65_535;

    public DevStackOptions {
        Objects.requireNonNull(workDir, "workDir");
        servers = Set.copyOf(Objects.requireNonNull(servers, "servers"));
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        Objects.requireNonNull(startTimeout, "startTimeout");
        kafkaJvmOptions = List.copyOf(Objects.requireNonNull(kafkaJvmOptions, "kafkaJvmOptions"));
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("servers is empty: select at least one of " + EnumSet.allOf(ServerKind.class));
        }
        checkPort("postgresPort", postgresPort);
        checkPort("redisPort", redisPort);
        checkPort("kafkaPort", kafkaPort);
        checkPort("kafkaControllerPort", kafkaControllerPort);
        if (kafkaPort != 0 && kafkaPort == kafkaControllerPort) {
            throw new IllegalArgumentException("kafkaPort and kafkaControllerPort are both " + kafkaPort
                    + ": the PLAINTEXT and CONTROLLER listeners need different ports");
        }
        if (kafkaPartitions < 1) {
            throw new IllegalArgumentException("kafkaPartitions is " + kafkaPartitions + ": must be at least 1");
        }
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout is " + startTimeout + ": must be positive, e.g. PT60S");
        }
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > MAX_PORT) {
            throw new IllegalArgumentException(name + " is " + port + ": must be 0 (a free port) or 1.." + MAX_PORT);
        }
    }

    /** All servers, free ports, a temporary work directory, {@link System#getenv()}. */
    public static DevStackOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.workDir = workDir.orElse(null);
        b.servers = EnumSet.copyOf(servers);
        b.postgresPort = postgresPort;
        b.redisPort = redisPort;
        b.kafkaPort = kafkaPort;
        b.kafkaControllerPort = kafkaControllerPort;
        b.kafkaPartitions = kafkaPartitions;
        b.startTimeout = startTimeout;
        b.environment = environment;
        b.containersAllowed = containersAllowed;
        b.kafkaJvmOptions = kafkaJvmOptions;
        return b;
    }

    public boolean wants(ServerKind kind) {
        return servers.contains(kind);
    }

    /** Mutable builder; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private Path workDir;
        private Set<ServerKind> servers = EnumSet.allOf(ServerKind.class);
        private int postgresPort;
        private int redisPort;
        private int kafkaPort;
        private int kafkaControllerPort;
        private int kafkaPartitions = DEFAULT_KAFKA_PARTITIONS;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private Map<String, String> environment = System.getenv();
        private boolean containersAllowed = true;
        private List<String> kafkaJvmOptions = List.of();

        private Builder() {
        }

        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        public Builder servers(ServerKind first, ServerKind... rest) {
            this.servers = EnumSet.of(first, rest);
            return this;
        }

        public Builder servers(Set<ServerKind> servers) {
            this.servers = servers.isEmpty() ? EnumSet.noneOf(ServerKind.class) : EnumSet.copyOf(servers);
            return this;
        }

        public Builder postgresPort(int port) {
            this.postgresPort = port;
            return this;
        }

        public Builder redisPort(int port) {
            this.redisPort = port;
            return this;
        }

        public Builder kafkaPort(int port) {
            this.kafkaPort = port;
            return this;
        }

        public Builder kafkaControllerPort(int port) {
            this.kafkaControllerPort = port;
            return this;
        }

        public Builder kafkaPartitions(int partitions) {
            this.kafkaPartitions = partitions;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        public Builder environment(Map<String, String> environment) {
            this.environment = environment;
            return this;
        }

        public Builder containersAllowed(boolean allowed) {
            this.containersAllowed = allowed;
            return this;
        }

        public Builder kafkaJvmOptions(List<String> options) {
            this.kafkaJvmOptions = options;
            return this;
        }

        public DevStackOptions build() {
            return new DevStackOptions(Optional.ofNullable(workDir), servers, postgresPort, redisPort, kafkaPort,
                    kafkaControllerPort, kafkaPartitions, startTimeout, environment, containersAllowed,
                    kafkaJvmOptions);
        }
    }
}
