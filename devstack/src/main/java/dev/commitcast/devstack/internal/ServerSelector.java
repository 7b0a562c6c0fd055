package dev.commitcast.devstack.internal;

import dev.commitcast.devstack.DevStackException;
import dev.commitcast.devstack.DevStackOptions;
import dev.commitcast.devstack.KafkaEndpoint;
import dev.commitcast.devstack.PostgresEndpoint;
import dev.commitcast.devstack.RedisEndpoint;
import dev.commitcast.devstack.ServerControl.Source;
import dev.commitcast.devstack.ServerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks each server's source in a fixed order and returns it ready: an environment endpoint ({@code COMMITCAST_*}),
 * else a local process, else a Testcontainers container when Docker is reachable, else an error naming what is
 * missing and how to install it. An explicit binary override that points nowhere fails at once.
 */
public final class ServerSelector {
    private static final Logger LOG = LoggerFactory.getLogger(ServerSelector.class);
    private static final Duration RETRY = Duration.ofMillis(100);
    private static final int PROBE_TIMEOUT_SECONDS = 2;
    private static volatile Boolean dockerAvailable;

    private final StackContext ctx;

    public ServerSelector(StackContext ctx) {
        this.ctx = ctx;
    }

    public ProvidedServer<PostgresEndpoint> postgres() {
        String url = ctx.env(DevStackOptions.ENV_PG_URL);
        if (url != null) {
            JdbcPostgresEndpoint endpoint = EnvironmentEndpoints.postgres(url);
            awaitPostgres(endpoint, Deadline.after(ctx.startTimeout()));
            LOG.info("Postgres from {}: {}", DevStackOptions.ENV_PG_URL, endpoint);
            return new ExternalServer<>(ServerKind.POSTGRES, Source.ENVIRONMENT,
                    "at " + endpoint + " (" + DevStackOptions.ENV_PG_URL + ")", endpoint, () -> { });
        }
        if (containersAlways()) {
            return ContainerServers.postgres(image(DevStackOptions.ENV_POSTGRES_IMAGE, ContainerServers.POSTGRES_IMAGE));
        }
        PostgresBinaries.Search search = PostgresBinaries.locate(ctx);
        if (search.binDir().isPresent()) {
            PostgresServer server = new PostgresServer(ctx, search.binDir().get());
            server.start();
            return server;
        }
        String containers = containerFallback();
        if (containers == null) {
            return ContainerServers.postgres(image(DevStackOptions.ENV_POSTGRES_IMAGE, ContainerServers.POSTGRES_IMAGE));
        }
        throw new DevStackException("PostgreSQL server binaries (" + String.join(", ", PostgresBinaries.REQUIRED)
                + ") not found; tried " + String.join("; ", search.tried()) + ". Install PostgreSQL >= 14 "
                + "(Debian/Ubuntu: apt-get install postgresql), set " + DevStackOptions.ENV_PG_BINDIR + " to the "
                + "directory holding initdb, or set " + DevStackOptions.ENV_PG_URL
                + "=postgresql://user:password@host:port/db (a server with wal_level=logical). Testcontainers "
                + "fallback: " + containers + ".");
    }

    public ProvidedServer<RedisEndpoint> redis() {
        String url = ctx.env(DevStackOptions.ENV_REDIS_URL);
        if (url != null) {
            EnvironmentEndpoints.HostPort hp = EnvironmentEndpoints.redis(url);
            awaitRedis(hp, Deadline.after(ctx.startTimeout()));
            LOG.info("Redis from {}: redis://{}:{}", DevStackOptions.ENV_REDIS_URL, hp.host(), hp.port());
            return new ExternalServer<RedisEndpoint>(ServerKind.REDIS, Source.ENVIRONMENT,
                    "at redis://" + hp.host() + ":" + hp.port() + " (" + DevStackOptions.ENV_REDIS_URL + ")",
                    control -> new SocketRedisEndpoint(hp.host(), hp.port(), control), () -> { });
        }
        if (containersAlways()) {
            return ContainerServers.redis(image(DevStackOptions.ENV_REDIS_IMAGE, ContainerServers.REDIS_IMAGE));
        }
        Optional<Path> binary = redisBinary();
        if (binary.isPresent()) {
            RedisServer server = new RedisServer(ctx, binary.get());
            server.start();
            return server;
        }
        String containers = containerFallback();
        if (containers == null) {
            return ContainerServers.redis(image(DevStackOptions.ENV_REDIS_IMAGE, ContainerServers.REDIS_IMAGE));
        }
        throw new DevStackException("redis-server not found on PATH (" + ctx.environment().getOrDefault("PATH", "")
                + "): install Redis >= 7 (Debian/Ubuntu: apt-get install redis-server), set "
                + DevStackOptions.ENV_REDIS_SERVER + " to the redis-server binary, or set " + DevStackOptions.ENV_REDIS_URL
                + "=redis://host:port. Testcontainers fallback: " + containers + ".");
    }

    private Optional<Path> redisBinary() {
        String override = ctx.env(DevStackOptions.ENV_REDIS_SERVER);
        if (override != null) {
            Path path = Path.of(override);
            if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                throw new DevStackException(DevStackOptions.ENV_REDIS_SERVER + "=" + override + " is not an executable "
                        + "file: point it at redis-server (install Redis >= 7: apt-get install redis-server) or unset it.");
            }
            return Optional.of(path);
        }
        return Executables.onPath("redis-server", ctx.environment().getOrDefault("PATH", ""));
    }

    public ProvidedServer<KafkaEndpoint> kafka() {
        String bootstrap = ctx.env(DevStackOptions.ENV_KAFKA_BOOTSTRAP);
        if (bootstrap != null) {
            AdminKafkaEndpoint endpoint = new AdminKafkaEndpoint(EnvironmentEndpoints.kafka(bootstrap),
                    ctx.options().kafkaPartitions(), ctx.startTimeout());
            try {
                endpoint.awaitReady(Deadline.after(ctx.startTimeout()), () -> { });
            } catch (RuntimeException e) {
                endpoint.close();
                throw new DevStackException("Kafka from " + DevStackOptions.ENV_KAFKA_BOOTSTRAP + "=" + bootstrap
                        + " is not reachable: " + e.getMessage() + ". Fix or unset it.", e);
            }
            LOG.info("Kafka from {}: {}", DevStackOptions.ENV_KAFKA_BOOTSTRAP, endpoint);
            return new ExternalServer<>(ServerKind.KAFKA, Source.ENVIRONMENT,
                    "at " + endpoint + " (" + DevStackOptions.ENV_KAFKA_BOOTSTRAP + ")", endpoint, endpoint::close);
        }
        if (containersAlways()) {
            return ContainerServers.kafka(image(DevStackOptions.ENV_KAFKA_IMAGE, ContainerServers.KAFKA_IMAGE),
                    ctx.options().kafkaPartitions(), ctx.startTimeout());
        }
        if (KafkaServer.brokerOnClasspath()) {
            KafkaServer server = new KafkaServer(ctx);
            try {
                server.start();
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        }
        String containers = containerFallback();
        if (containers == null) {
            return ContainerServers.kafka(image(DevStackOptions.ENV_KAFKA_IMAGE, ContainerServers.KAFKA_IMAGE),
                    ctx.options().kafkaPartitions(), ctx.startTimeout());
        }
        throw new DevStackException("The Kafka broker classes (org.apache.kafka:kafka_2.13) are not on the classpath: "
                + "depend on dev.commitcast:devstack with its runtime dependencies, or set "
                + DevStackOptions.ENV_KAFKA_BOOTSTRAP + "=host:port. Testcontainers fallback: " + containers + ".");
    }

    /** COMMITCAST_DEVSTACK_CONTAINERS: fallback (default), always or never; anything else is refused by name. */
    private String containersMode() {
        String mode = ctx.env(DevStackOptions.ENV_CONTAINERS);
        if (mode == null || mode.isBlank()) {
            return "fallback";
        }
        String normalized = mode.strip().toLowerCase(java.util.Locale.ROOT);
        if (!java.util.Set.of("fallback", "always", "never").contains(normalized)) {
            throw new DevStackException(DevStackOptions.ENV_CONTAINERS + "=" + mode
                    + " is not one of fallback (the default), always, never.");
        }
        return normalized;
    }

    /** Whether every server not given by an endpoint runs in a container; fails when containers cannot be used. */
    private boolean containersAlways() {
        if (!containersMode().equals("always")) {
            return false;
        }
        String unavailable = containerFallback();
        if (unavailable != null) {
            throw new DevStackException(DevStackOptions.ENV_CONTAINERS + "=always, but containers cannot be used: "
                    + unavailable + ".");
        }
        return true;
    }

    private String image(String variable, String defaultImage) {
        String image = ctx.env(variable);
        return image == null || image.isBlank() ? defaultImage : image.strip();
    }

    /** Null when containers can be used, else why not (for the error message). */
    private String containerFallback() {
        if (!ctx.options().containersAllowed()) {
            return "disabled (DevStackOptions.containersAllowed=false)";
        }
        if (containersMode().equals("never")) {
            return "disabled (" + DevStackOptions.ENV_CONTAINERS + "=never)";
        }
        try {
            Boolean available = dockerAvailable;
            if (available == null) {
                available = ContainerServers.dockerAvailable();
                dockerAvailable = available;
            }
            return available ? null : "no Docker engine is reachable";
        } catch (LinkageError e) {
            return "Testcontainers is not on the classpath (" + e + ")";
        }
    }

    private void awaitPostgres(JdbcPostgresEndpoint endpoint, Deadline deadline) {
        SQLException last = null;
        while (!deadline.expired()) {
            try (Connection c = JdbcPostgresEndpoint.open(endpoint.jdbcUrl(endpoint.database()), endpoint.user(),
                    endpoint.password(), PROBE_TIMEOUT_SECONDS); Statement s = c.createStatement()) {
                s.execute("select 1");
                return;
            } catch (SQLException e) {
                if ("28P01".equals(e.getSQLState()) || "28000".equals(e.getSQLState()) || "3D000".equals(e.getSQLState())) {
                    throw new DevStackException(DevStackOptions.ENV_PG_URL + " (" + endpoint + ") was rejected: "
                            + e.getMessage() + ". Fix the credentials/database or unset it.", e);
                }
                last = e;
            }
            deadline.pause(RETRY, "Postgres at " + endpoint);
        }
        throw new DevStackException(DevStackOptions.ENV_PG_URL + " (" + endpoint + ") is not reachable within "
                + deadline.budget() + ": " + (last == null ? "" : last.getMessage()) + ". Fix or unset it.");
    }

    private void awaitRedis(EnvironmentEndpoints.HostPort hp, Deadline deadline) {
        while (!deadline.expired()) {
            if (SocketRedisEndpoint.ping(hp.host(), hp.port(), (int) Math.max(1, Math.min(1000,
                    deadline.remaining().toMillis())))) {
                return;
            }
            deadline.pause(RETRY, "Redis at " + hp);
        }
        throw new DevStackException(DevStackOptions.ENV_REDIS_URL + " (redis://" + hp.host() + ":" + hp.port()
                + ") did not answer PING within " + deadline.budget() + ". Fix or unset it.");
    }
}
