package dev.commitcast.cli.platform;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.Map;

/**
 * Kafka clients for commands: bounded timeouts, and consumers without a group. A command's consumer is positioned
 * with {@code assign()} and {@code seek()} and never commits, so it can neither join nor move the invalidator's
 * consumer group.
 */
public final class KafkaClients {
    /** Bound of metadata and offset look-ups (an unreachable Kafka fails a command after this). */
    public static final Duration API_TIMEOUT = Duration.ofSeconds(10);

    private KafkaClients() {
    }

    /** A group-less consumer of raw bytes; the caller assigns and seeks. */
    public static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String clientId) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500,
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) API_TIMEOUT.toMillis(),
                ConsumerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, 3_000L,
                ConsumerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, 3_000L);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** An admin client with short timeouts, for offset look-ups. */
    public static Admin admin(String bootstrap, Duration timeout) {
        int millis = (int) timeout.toMillis();
        return Admin.create(Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "commitcast-cli-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, (long) millis,
                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, (long) millis));
    }

    /** A message for a Kafka failure that names the servers. */
    public static String unreachable(String bootstrap, Exception e) {
        return "cannot reach Kafka at " + bootstrap + " within " + API_TIMEOUT.toSeconds() + " s: "
                + Failures.rootMessage(e);
    }
}
