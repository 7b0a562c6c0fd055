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
 * The Testcontainers path: used when a local binary is missing and a Docker engine is reachable, or for every server
 * with {@code COMMITCAST_DEVSTACK_CONTAINERS=always}. Images come from {@code COMMITCAST_POSTGRES_IMAGE},
 * {@code COMMITCAST_REDIS_IMAGE} and {@code COMMITCAST_KAFKA_IMAGE} (defaults below); another image must honour the
 * official one's contract (environment, entrypoint, log lines the wait strategies look for), as the local stand-ins
 * of infra/docker/standins do (ADR-0011). {@code DevStackContainersIT} (infra-tests) runs the platform on them.
 *
 * <p>Containers are not {@linkplain dev.commitcast.devstack.ServerControl#controllable() controllable} (a restarted
 * container gets a new host port). Testcontainers' Ryuk removes them if this JVM dies (where Ryuk's image can be
 * pulled; else {@code TESTCONTAINERS_RYUK_DISABLED=true} and a clean stop removes them). Only this class references
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

    public static ProvidedServer<PostgresEndpoint> postgres(String image) {
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>(
                DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"))
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
        return new ExternalServer<>(ServerKind.POSTGRES, Source.CONTAINER, "container " + image, endpoint,
                container::stop);
    }

    public static ProvidedServer<RedisEndpoint> redis(String image) {
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                .withExposedPorts(REDIS_PORT)
                .withCommand("redis-server", "--save", "", "--appendonly", "no");
        container.start();
        return new ExternalServer<RedisEndpoint>(ServerKind.REDIS, Source.CONTAINER, "container " + image,
                control -> new SocketRedisEndpoint(container.getHost(), container.getMappedPort(REDIS_PORT), control),
                container::stop);
    }

    public static ProvidedServer<KafkaEndpoint> kafka(String image, int partitions, Duration timeout) {
        KafkaContainer container = new KafkaContainer(
                DockerImageName.parse(image).asCompatibleSubstituteFor("apache/kafka"))
                .withEnv("KAFKA_NUM_PARTITIONS", Integer.toString(partitions))
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        container.start();
        AdminKafkaEndpoint endpoint = new AdminKafkaEndpoint(container.getBootstrapServers(), partitions, timeout);
        return new ExternalServer<>(ServerKind.KAFKA, Source.CONTAINER, "container " + image, endpoint, () -> {
            endpoint.close();
            container.stop();
        });
    }
}
