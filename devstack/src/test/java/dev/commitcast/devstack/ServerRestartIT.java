package dev.commitcast.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Postgres and Kafka also restart on the same ports, keeping their data (a table's rows, a topic's records). */
class ServerRestartIT {

    private static final String TOPIC = "restart-it";

    @Test
    void postgresAndKafkaComeBackWithTheirData() throws Exception {
        try (DevStack stack = DevStack.start(DevStackOptions.builder().servers(ServerKind.POSTGRES, ServerKind.KAFKA).build())) {
            PostgresEndpoint pg = stack.postgres();
            String db = pg.createDatabase("restart_it");
            try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
                s.execute("create table kept(x int); insert into kept values (7)");
            }
            stack.kafka().createTopic(TOPIC, 2);
            String bootstrap = stack.kafka().bootstrapServers();
            produce(bootstrap, "kept-before-restart");

            stack.server(ServerKind.POSTGRES).stop();
            stack.server(ServerKind.KAFKA).stop();
            assertFalse(stack.server(ServerKind.POSTGRES).isRunning());
            assertFalse(stack.server(ServerKind.KAFKA).isRunning());
            assertEquals(Map.of(), DevStack.leftoverProcesses(stack.workDir()));

            stack.server(ServerKind.POSTGRES).start();
            stack.server(ServerKind.KAFKA).start();
            assertTrue(stack.server(ServerKind.KAFKA).isRunning());
            assertEquals(bootstrap, stack.kafka().bootstrapServers());
            try (Connection c = pg.connect(db); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select x from kept")) {
                assertTrue(rs.next());
                assertEquals(7, rs.getInt(1));
            }
            // The record written before the restart is read back after it: the topic and its log survived.
            assertEquals(List.of("kept-before-restart"), consumeAll(bootstrap));
        }
    }

    private static void produce(String bootstrap, String value)
            throws InterruptedException, ExecutionException, TimeoutException {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, 1, null, value.getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** Reads both partitions from the beginning up to their end offsets, within 30 s. */
    private static List<String> consumeAll(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }
}
