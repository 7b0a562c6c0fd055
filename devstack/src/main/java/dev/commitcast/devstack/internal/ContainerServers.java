package dev.commitcast.devstack.internal;

import dev.commitcast.devstack.KafkaEndpoint;
import dev.commitcast.devstack.PostgresEndpoint;
import dev.commitcast.devstack.RedisEndpoint;
import dev.commitcast.devstack.ServerControl.Source;
import dev.commitcast.devstack.ServerKind;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Testcontainers fallback, used only when a local binary is missing and a Docker engine is reachable.
 *
 * <p>UNTESTED on the project's machines, which have no Docker engine: kept small and documented in the devstack ADR.
 * Containers are not {@linkplain dev.commitcast.devstack.ServerControl#controllable() controllable} (a restarted
 * container gets a new host port). Testcontainers' Ryuk removes them if this JVM dies. Only this class references
 * Testcontainers, so the rest of the dev stack works without it on the classpath.
 */
public final class ContainerServers {
    static final String POSTGRES_IMAGE = "postgres:15";
    static final String REDIS_IMAGE = "redis:7";
    static final String KAFKA_IMAGE = "apache/kafka:4.3.0";
    private static final int REDIS_PORT = 6379;

    private ContainerServers() {
    }

    public static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    public static ProvidedServer<PostgresEndpoint> postgres() {
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>(DockerImageName.parse(POSTGRES_IMAGE))
                .withDatabaseName(PostgresServer.APP_DATABASE)
                .withUsername(PostgresServer.APP_USER)
                .withPassword(PostgresServer.APP_PASSWORD)
                .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=20",
                        "-c", "max_wal_senders=20", "-c", "fsync=off",
                        "-c", "full_page_writes=off", "-c", "max_connections=200");
        container.start();
        // The image's POSTGRES_USER is a superuser, so it may replicate and create databases.
        PostgresEndpoint endpoint = new JdbcPostgresEndpoint(container.getHost(), container.getMappedPort(5432),
                PostgresServer.APP_USER, PostgresServer.APP_PASSWORD, PostgresServer.APP_DATABASE);
        return new ExternalServer<>(ServerKind.POSTGRES, Source.CONTAINER, "container " + POSTGRES_IMAGE, endpoint,
                container::stop);
    }

    public static ProvidedServer<RedisEndpoint> redis() {
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(REDIS_IMAGE))
                .withExposedPorts(REDIS_PORT)
                .withCommand("redis-server", "--save", "", "--appendonly", "no");
        container.start();
        return new ExternalServer<RedisEndpoint>(ServerKind.REDIS, Source.CONTAINER, "container " + REDIS_IMAGE,
                control -> new SocketRedisEndpoint(container.getHost(), container.getMappedPort(REDIS_PORT), control),
                container::stop);
    }

    public static ProvidedServer<KafkaEndpoint> kafka(int partitions, Duration timeout) {
        KafkaContainer container = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE))
                .withEnv("KAFKA_NUM_PARTITIONS", Integer.toString(partitions))
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        container.start();
        AdminKafkaEndpoint endpoint = new AdminKafkaEndpoint(container.getBootstrapServers(), partitions, timeout);
        return new ExternalServer<>(ServerKind.KAFKA, Source.CONTAINER, "container " + KAFKA_IMAGE, endpoint, () -> {
            endpoint.close();
            container.stop();
        });
    }
}
