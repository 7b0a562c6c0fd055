package dev.commitcast.invalidator.support;

import dev.commitcast.devstack.DevStack;
import dev.commitcast.invalidator.Invalidator;
import dev.commitcast.invalidator.apply.ApplyHooks;
import dev.commitcast.invalidator.config.InvalidatorConfig;
import dev.commitcast.invalidator.watermark.PartitionWatermarks;
import dev.commitcast.core.CacheKey;
import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Rules;
import dev.commitcast.events.ChangeTopics;
import dev.commitcast.testsupport.Envelopes;
import dev.commitcast.testsupport.Repo;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One test's isolated slice of the shared dev stack: its own topic prefix, key space and consumer group, a producer
 * for hand-written change events, an admin client for committed offsets, and a Redis connection to seed and inspect
 * keys. Close it at the end of the test.
 */
public final class Fixture implements AutoCloseable {

    /** Deadline of every wait in the integration tests. */
    public static final Duration WAIT = Duration.ofSeconds(60);

    public final String id;
    public final String topicPrefix;
    public final Rules rules;
    public final KeySpace keySpace;
    public final String groupId;
    public final DevStack stack = DevStack.shared();
    private final KafkaProducer<String, String> producer;
    private final Admin admin;
    private final ClientResources redisResources;
    private final RedisClient redisClient;
    private final StatefulRedisConnection<String, String> redis;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    public Fixture(String name) {
        id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        topicPrefix = "it-" + id;
        rules = Repo.demoRules("it-" + id);
        keySpace = rules.keySpace();
        groupId = "invalidator-" + id;
        String bootstrap = stack.kafka().bootstrapServers();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000),
                new StringSerializer(), new StringSerializer());
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        // Reconnect quickly after RedisOutageIT restarts Redis.
        redisResources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofMillis(500), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        redisClient = RedisClient.create(redisResources, stack.redis().uri());
        redisClient.setOptions(ClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5))).build());
        redis = redisClient.connect();
        // A key space already consistent under these rules, as after an earlier run: tests that seed values expect
        // them to survive the start (KeySpaceContinuityIT deletes or changes this key).
        redis.sync().set(keySpace.rulesKey(), rules.fingerprint());
        redis.sync().set(keySpace.serverKey(), runId());
    }

    public String topic(String table) {
        return ChangeTopics.topic(topicPrefix, "public", table);
    }

    public String dlqTopic() {
        return ChangeTopics.dlq(topicPrefix);
    }

    public void createTopics(int partitions, String... tables) {
        for (String table : tables) {
            stack.kafka().createTopic(topic(table), partitions);
        }
    }

    /** A configuration for this fixture's topics, key space and group, with short backoffs and heartbeats. */
    public InvalidatorConfig.Builder config() {
        return config(stack.redis().uri());
    }

    /** As {@link #config()}, on another Redis (e.g. a Redis Cluster's {@code redis-cluster://} URI). */
    public InvalidatorConfig.Builder config(String redisUri) {
        return InvalidatorConfig.builder(stack.kafka().bootstrapServers(), redisUri)
                .groupId(groupId)
                .topicPrefix(topicPrefix)
                .keySpace(keySpace.prefix())
                .rules(Repo.demoRulesFile())
                .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .heartbeatInterval(Duration.ofMillis(250))
                .pollTimeout(Duration.ofMillis(100))
                .applyTimeout(Duration.ofSeconds(5));
    }

    /** Starts an invalidator that the fixture closes at the end. */
    public Invalidator start(ApplyHooks hooks, MeterRegistry registry) {
        return start(config().build(), hooks, registry);
    }

    /** Starts an invalidator with the given configuration (from {@link #config()}), closed at the end. */
    public Invalidator start(InvalidatorConfig config, ApplyHooks hooks, MeterRegistry registry) {
        Invalidator invalidator = Invalidator.builder(config).hooks(hooks).meterRegistry(registry).start();
        closeables.add(invalidator);
        return invalidator;
    }

    /** The Redis server's run id ({@code INFO server}). */
    public String runId() {
        return redis.sync().info("server").lines().filter(l -> l.startsWith("run_id:"))
                .map(l -> l.substring("run_id:".length()).strip()).findFirst().orElseThrow();
    }

    /** Sends a change event of a table to one partition and waits for the ack; returns its offset. */
    public long send(String table, int partition, String key, String value) {
        return send(new ProducerRecord<>(topic(table), partition, key, value));
    }

    /** Sends a watermark marker, written under the demo's rules, to one partition of a table's topic. */
    public long sendMarker(String table, int partition, long lsn, Instant commitTime) {
        return sendMarker(table, partition, lsn, commitTime, rules.fingerprint());
    }

    /** Sends a watermark marker written under the given rules fingerprint (null: none) to one partition. */
    public long sendMarker(String table, int partition, long lsn, Instant commitTime, String rulesFingerprint) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("commitcast-marker", "watermark".getBytes(StandardCharsets.UTF_8));
        return send(new ProducerRecord<>(topic(table), partition, (String) null, Envelopes.marker(lsn, commitTime, rulesFingerprint),
                headers));
    }

    private long send(ProducerRecord<String, String> record) {
        try {
            return producer.send(record).get(30, TimeUnit.SECONDS).offset();
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("sending " + record + " failed", e);
        }
    }

    /** The group's committed offsets (next offset to read) per partition; empty while nothing was committed. */
    public Map<TopicPartition, Long> committed() {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, Long> result = new HashMap<>();
            offsets.forEach((tp, om) -> {
                if (om != null) {
                    result.put(tp, om.offset());
                }
            });
            return result;
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("listing offsets of " + groupId + " failed", e);
        }
    }

    /** Returns the committed offset of a table's partition, or -1. */
    public long committed(String table, int partition) {
        return committed().getOrDefault(new TopicPartition(topic(table), partition), -1L);
    }

    /** The log end offset of a table's partition. */
    public long endOffset(String table, int partition) {
        TopicPartition tp = new TopicPartition(topic(table), partition);
        try {
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get(30, TimeUnit.SECONDS)
                    .offset();
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("listing the end offset of " + tp + " failed", e);
        }
    }

    public RedisCommands<String, String> redis() {
        return redis.sync();
    }

    /** Caches a value and a fill lease for each key, as api-service would. */
    public void seed(CacheKey... cacheKeys) {
        for (CacheKey key : cacheKeys) {
            redis().set(keySpace.valueKey(key), "{\"cached\":true}");
            redis().set(keySpace.leaseKey(key), "lease-token:0");
        }
    }

    /** Whether the key's value or its lease is still in Redis. */
    public boolean cached(CacheKey key) {
        return redis().exists(keySpace.valueKey(key), keySpace.leaseKey(key)) > 0;
    }

    /** The per-partition watermark hash, field to wire form (the stored order key left out). */
    public Map<String, String> partitionWatermarks() {
        Map<String, String> result = new java.util.HashMap<>();
        redis().hgetall(PartitionWatermarks.hashKey(keySpace))
                .forEach((field, value) -> result.put(field, value.substring(value.indexOf('|') + 1)));
        return result;
    }

    /** Subscribes to the eviction broadcasts of this fixture's key space; closed with the fixture. */
    public Broadcasts subscribe() {
        Broadcasts broadcasts = new Broadcasts(redisClient, rules);
        closeables.add(broadcasts);
        return broadcasts;
    }

    /** Reads the DLQ topic from the beginning until {@code count} records arrived (or the deadline passed). */
    public List<ConsumerRecord<String, String>> readDlq(int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<PartitionInfo> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                partitions = consumer.partitionsFor(dlqTopic(), Duration.ofSeconds(5));
            }
            List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** The value of a record header as a string, or null. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : closeables.reversed()) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + closeable + " failed", e);
            }
        }
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
        redis.close();
        redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        redisResources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
