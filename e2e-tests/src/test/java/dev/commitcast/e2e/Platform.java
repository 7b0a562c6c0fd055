package dev.commitcast.e2e;

import dev.commitcast.cdc.CdcConnector;
import dev.commitcast.cli.ServiceProcess;
import dev.commitcast.devstack.DevStack;
import dev.commitcast.devstack.PostgresEndpoint;
import dev.commitcast.invalidator.Invalidator;
import dev.commitcast.invalidator.apply.ApplyHooks;
import dev.commitcast.invalidator.config.InvalidatorConfig;
import dev.commitcast.core.KeySpace;
import dev.commitcast.redis.RedisClients;
import dev.commitcast.redis.RedisEndpoint;
import dev.commitcast.core.Watermark;
import dev.commitcast.schema.DemoDataGenerator;
import dev.commitcast.testsupport.Repo;
import dev.commitcast.schema.DemoDataSpec;
import dev.commitcast.schema.Migrations;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One complete Commitcast platform on the shared dev stack, isolated from every other: its own database (migrated,
 * with demo data), replication slot, topic prefix, consumer group and Redis key space. The connector and the
 * invalidator run in this JVM so tests can stop, restart and crash them; the api-service instances are real
 * separate JVMs started from the module's build output, as {@code ./commitcast up} starts them.
 */
final class Platform implements AutoCloseable {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final DemoDataSpec DATA = new DemoDataSpec(4, 40, 4, 8, 11L);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final DevStack stack = DevStack.shared();
    private final PostgresEndpoint pg;
    private final String name;
    private final String database;
    private final KeySpace keySpace;
    private final String topicPrefix;
    private final String slot;
    private final Path cdcDir;
    private final RedisClient redisClient;
    private final StatefulRedisConnection<byte[], byte[]> redis;
    /** The Redis every service of this platform uses: the shared one, or e.g. a Redis Cluster. */
    private final String redisUri;
    private final io.lettuce.core.resource.ClientResources redisResources;
    private final RedisClients platformRedisClient;
    private final RedisClients.Link platformRedis;
    private final List<ServiceProcess> apiProcesses = new ArrayList<>();
    private final List<Api> apis = new ArrayList<>();
    private CdcConnector cdc;
    private Invalidator invalidator;
    private io.micrometer.core.instrument.simple.SimpleMeterRegistry invalidatorMeters;

    private Platform(String name, PostgresEndpoint pg, String redisUri) {
        this.name = name;
        this.pg = pg;
        this.redisUri = redisUri;
        String suffix = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36).toLowerCase(Locale.ROOT);
        database = pg.createDatabase("e2e_" + name);
        keySpace = Repo.demoRules("e2e-" + name + "-" + suffix).keySpace();
        topicPrefix = "e2e-" + name + "-" + suffix;
        slot = ("e2e_" + name + "_" + suffix).replace('-', '_');
        try {
            cdcDir = Files.createTempDirectory("e2e-cdc-" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Migrations.apply(pg.jdbcUrl(database), pg.user(), pg.password());
        try (Connection c = pg.connect(database)) {
            DemoDataGenerator.load(c, DATA, false);
        } catch (SQLException e) {
            throw new IllegalStateException("demo data for " + name, e);
        }
        redisClient = RedisClient.create(stack.redis().uri());
        redis = redisClient.connect(ByteArrayCodec.INSTANCE);
        redisResources = io.lettuce.core.resource.DefaultClientResources.create();
        platformRedisClient = RedisClients.create(RedisEndpoint.of(redisUri), new RedisClients.Bounds(
                Duration.ofSeconds(5), Duration.ofSeconds(5), 10_000, true), redisResources);
        platformRedis = platformRedisClient.connectAsync(LATIN_1).toCompletableFuture().join();
    }

    /** Byte-transparent, as the services' own command connections. */
    private static final io.lettuce.core.codec.StringCodec LATIN_1 =
            new io.lettuce.core.codec.StringCodec(StandardCharsets.ISO_8859_1);

    /**
     * Starts connector, invalidator and {@code apiInstances} api-service JVMs; {@code apiProperties} are passed to
     * every instance as system properties (e.g. longer TTLs, a shorter staleness budget).
     */
    static Platform start(String name, int apiInstances, Map<String, String> apiProperties) throws Exception {
        return start(name, apiInstances, apiProperties, DevStack.shared().postgres());
    }

    /** As {@link #start(String, int, Map)}, on another Postgres than the shared one (Kafka and Redis are shared). */
    static Platform start(String name, int apiInstances, Map<String, String> apiProperties, PostgresEndpoint postgres)
            throws Exception {
        return start(name, apiInstances, apiProperties, postgres, DevStack.shared().redis().uri());
    }

    /**
     * As {@link #start(String, int, Map)}, with every service on another Redis: e.g. a Redis Cluster's
     * {@code redis-cluster://} URI.
     */
    static Platform startOnRedis(String name, int apiInstances, Map<String, String> apiProperties, String redisUri)
            throws Exception {
        return start(name, apiInstances, apiProperties, DevStack.shared().postgres(), redisUri);
    }

    private static Platform start(String name, int apiInstances, Map<String, String> apiProperties,
                                  PostgresEndpoint postgres, String redisUri) throws Exception {
        Platform platform = new Platform(name, postgres, redisUri);
        try {
            platform.startConnector();
            platform.startInvalidator(ApplyHooks.NONE);
            for (int i = 1; i <= apiInstances; i++) {
                platform.startApi(name + "-api-" + i, apiProperties);
            }
            for (ServiceProcess process : platform.apiProcesses) {
                process.awaitHealthy(START_TIMEOUT);
            }
            return platform;
        } catch (Exception | AssertionError e) {
            platform.close();
            throw e;
        }
    }

    Api api(int index) {
        return apis.get(index);
    }

    List<Api> apis() {
        return apis;
    }

    KeySpace keySpace() {
        return keySpace;
    }

    String topicPrefix() {
        return topicPrefix;
    }

    Connection sql() throws SQLException {
        return pg.connect(database);
    }

    /** Runs statements in one transaction and returns the commit's WAL position (as a number, like source.lsn). */
    long commit(String... statements) throws SQLException {
        try (Connection c = sql()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String statement : statements) {
                    s.execute(statement);
                }
            }
            c.commit();
            return currentLsn(c);
        }
    }

    long currentLsn() throws SQLException {
        try (Connection c = sql()) {
            return currentLsn(c);
        }
    }

    private static long currentLsn(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The pipeline's global watermark as the invalidator publishes it, if any; null while Redis cannot answer. */
    Watermark watermark() {
        String value;
        try {
            value = platformRedis.async().get(keySpace.watermarkKey()).toCompletableFuture().join();
        } catch (RuntimeException e) {
            return null; // Redis restarting, or a cluster failing over
        }
        return value == null ? null : Watermark.parseWire(value);
    }

    /** Waits until every change committed at or before {@code lsn} has been invalidated and broadcast. */
    void awaitWatermarkPast(long lsn, Duration timeout) {
        Wait.until("watermark past LSN " + lsn, timeout, this::watermark, w -> w != null && w.lsn() >= lsn);
    }

    /** The raw L2 value of a Redis key of this platform, or null. */
    byte[] redisValue(String key) {
        String value = platformRedis.async().get(key).toCompletableFuture().join();
        return value == null ? null : value.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A connection to the shared standalone Redis (for tests that save, restart or kill its clients). */
    StatefulRedisConnection<byte[], byte[]> redis() {
        return redis;
    }

    void startConnector() throws InterruptedException {
        Map<String, String> properties = new HashMap<>();
        properties.put("jdbc-url", pg.jdbcUrl(database));
        properties.put("user", pg.user());
        properties.put("password", pg.password());
        properties.put("kafka-bootstrap", stack.kafka().bootstrapServers());
        properties.put("topic-prefix", topicPrefix);
        properties.put("slot-name", slot);
        properties.put("data-dir", cdcDir.toString());
        properties.put("rules", Repo.demoRulesFile().toString());
        cdc = CdcConnector.fromProperties(properties);
        cdc.start();
        if (!cdc.awaitStreaming(START_TIMEOUT)) {
            throw new AssertionError("connector not streaming within " + START_TIMEOUT + ": " + cdc.status());
        }
    }

    /** Restarts the shared Redis (SIGTERM, start on the same port): it loads whatever its last SAVE wrote. */
    void restartRedis() {
        stack.redis().stop();
        stack.redis().start();
    }

    /** The connector's replication slot. */
    String slot() {
        return slot;
    }

    void stopConnector() {
        if (cdc != null) {
            cdc.close();
            cdc = null;
        }
    }

    void startInvalidator(ApplyHooks hooks) {
        InvalidatorConfig config = InvalidatorConfig.builder(stack.kafka().bootstrapServers(), redisUri)
                .topicPrefix(topicPrefix)
                .groupId("e2e-" + name)
                .keySpace(keySpace.prefix())
                .rules(Repo.demoRulesFile())
                .build();
        invalidatorMeters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        invalidator = Invalidator.builder(config).hooks(hooks).meterRegistry(invalidatorMeters).start();
    }

    /** The sum of the in-process invalidator's counters of that name (Micrometer's dotted name). */
    double invalidatorCounter(String name) {
        return invalidatorMeters.find(name).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    Invalidator invalidator() {
        return invalidator;
    }

    void stopInvalidator() {
        if (invalidator != null) {
            invalidator.close();
            invalidator = null;
        }
    }

    /**
     * Starts an invalidator as its own JVM (as {@code ./commitcast up} does), in this platform's consumer group, and
     * waits until it is healthy; the caller stops the in-process one first if only this one should run.
     */
    ServiceProcess startInvalidatorProcess(String instance) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>();
        env.put("COMMITCAST_KAFKA_BOOTSTRAP", stack.kafka().bootstrapServers());
        env.put("COMMITCAST_REDIS_URL", redisUri);
        env.put("COMMITCAST_RULES", Repo.demoRulesFile().toString());
        return startServiceProcess("invalidator", "dev.commitcast.invalidator.Application", instance, env, List.of(
                "-Dcommitcast.key-space=" + keySpace.prefix(), "-Dcommitcast.invalidator.topic-prefix=" + topicPrefix,
                "-Dcommitcast.invalidator.group-id=e2e-" + name));
    }

    /**
     * Starts the connector as its own JVM (as {@code ./commitcast up} does) on this platform's slot, topics and offset
     * directory, and waits until it is healthy; the caller stops the in-process one first.
     */
    ServiceProcess startConnectorProcess(String instance) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>();
        env.put("COMMITCAST_PG_JDBC_URL", pg.jdbcUrl(database));
        env.put("COMMITCAST_PG_USER", pg.user());
        env.put("COMMITCAST_PG_PASSWORD", pg.password());
        env.put("COMMITCAST_KAFKA_BOOTSTRAP", stack.kafka().bootstrapServers());
        env.put("COMMITCAST_CDC_TOPIC_PREFIX", topicPrefix);
        env.put("COMMITCAST_CDC_SLOT", slot);
        env.put("COMMITCAST_CDC_DATA_DIR", cdcDir.toString());
        env.put("COMMITCAST_RULES", Repo.demoRulesFile().toString());
        return startServiceProcess("cdc-connector", "dev.commitcast.cdc.Application", instance, env, List.of());
    }

    private ServiceProcess startServiceProcess(String module, String mainClass, String instance,
                                               Map<String, String> env, List<String> properties)
            throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m"));
        jvm.addAll(properties);
        ServiceProcess process = ServiceProcess.start(ROOT, module, name + "-" + instance, mainClass, port, env, jvm,
                ROOT.resolve("e2e-tests").resolve("target").resolve("e2e-logs"));
        try {
            process.awaitHealthy(START_TIMEOUT);
        } catch (RuntimeException | InterruptedException e) {
            process.kill();
            throw e;
        }
        return process;
    }

    /** Starts one more api-service instance with its own properties and waits until it is healthy. */
    Api addApi(String instance, Map<String, String> properties) throws IOException, InterruptedException {
        startApi(name + "-" + instance, properties);
        apiProcesses.getLast().awaitHealthy(START_TIMEOUT);
        return apis.getLast();
    }

    private void startApi(String instance, Map<String, String> properties) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> env = new HashMap<>();
        env.put("COMMITCAST_PG_JDBC_URL", pg.jdbcUrl(database));
        env.put("COMMITCAST_PG_USER", pg.user());
        env.put("COMMITCAST_PG_PASSWORD", pg.password());
        env.put("COMMITCAST_REDIS_URL", redisUri);
        env.put("COMMITCAST_KEY_SPACE", keySpace.prefix());
        env.put("COMMITCAST_RULES", Repo.demoRulesFile().toString());
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m"));
        properties.forEach((key, value) -> jvm.add("-D" + key + "=" + value));
        ServiceProcess process = ServiceProcess.start(ROOT, "api-service", instance, "dev.commitcast.api.Application",
                port, env, jvm, ROOT.resolve("e2e-tests").resolve("target").resolve("e2e-logs"));
        apiProcesses.add(process);
        apis.add(new Api(instance, process.baseUrl()));
    }

    @Override
    public void close() {
        apiProcesses.forEach(ServiceProcess::stop);
        stopInvalidator();
        stopConnector();
        redis.close();
        platformRedis.close();
        platformRedisClient.close();
        RedisClients.shutdown(redisResources);
        redisClient.shutdown();
        try (Connection c = pg.connect(database); Statement s = c.createStatement()) {
            s.execute("select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = '"
                    + slot + "' and not active");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop slot " + slot, e);
        }
    }
}
