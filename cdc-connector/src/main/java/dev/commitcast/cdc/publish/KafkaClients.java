package dev.commitcast.cdc.publish;

import dev.commitcast.cdc.CdcSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Kafka client configurations of the connector: every timeout and buffer explicit and bounded. */
public final class KafkaClients {
    /** Bound of the producer's record buffer: back-pressure on the engine instead of unbounded memory. */
    static final long BUFFER_BYTES = 32L * 1024 * 1024;
    /** How long {@code send} may block on a full buffer or missing metadata. */
    static final Duration MAX_BLOCK = Duration.ofSeconds(10);
    /** Upper bound of one produce request; the delivery timeout bounds retries on top. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private KafkaClients() {
    }

    /** Idempotent, {@code acks=all}, small linger, bounded buffer and delivery timeout. */
    public static Map<String, Object> producerConfig(CdcSettings settings) {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrap());
        c.put(ProducerConfig.CLIENT_ID_CONFIG, "commitcast-cdc-" + settings.slotName());
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        c.put(ProducerConfig.LINGER_MS_CONFIG, (int) settings.linger().toMillis());
        c.put(ProducerConfig.BUFFER_MEMORY_CONFIG, BUFFER_BYTES);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK.toMillis());
        long delivery = settings.deliveryTimeout().toMillis();
        long request = Math.min(REQUEST_TIMEOUT.toMillis(), delivery - settings.linger().toMillis());
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(request, 1));
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return c;
    }

    public static KafkaProducer<byte[], byte[]> producer(CdcSettings settings) {
        return new KafkaProducer<>(producerConfig(settings));
    }

    /** An admin client whose calls give up after {@code timeout}. */
    public static Admin admin(String bootstrap, String clientId, Duration timeout) {
        Map<String, Object> c = new HashMap<>();
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        int ms = (int) Math.max(1000, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(ms, (int) REQUEST_TIMEOUT.toMillis()));
        c.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return Admin.create(c);
    }
}
