package dev.commitcast.invalidator;

import dev.commitcast.core.Rules;
import dev.commitcast.invalidator.apply.ApplyHooks;
import dev.commitcast.invalidator.apply.RedisResources;
import dev.commitcast.invalidator.config.InvalidatorConfig;
import dev.commitcast.invalidator.consume.ConsumeLoop;
import dev.commitcast.invalidator.dlq.DeadLetterPublisher;
import dev.commitcast.invalidator.health.InvalidatorMetrics;
import dev.commitcast.invalidator.health.InvalidatorStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The invalidator, runnable in-process without Micronaut: consumes the change topics in a consumer group, deletes
 * the dependent Redis keys and leases, broadcasts L1 evictions and watermarks, then commits.
 * <pre>
 * try (Invalidator invalidator = Invalidator.start(InvalidatorConfig.builder(bootstrap, redisUri).build())) {
 *     ...
 * }
 * </pre>
 * {@link #start} connects to Redis (failing fast when it cannot) and starts the consume loop on its own daemon
 * thread; {@link #close()} stops it (offsets of applied batches are committed on the way out) and releases every
 * client. Several instances with the same group id split the partitions. Thread-safe.
 */
public final class Invalidator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Invalidator.class);
    /** How long {@link #close()} lets the loop finish its step before interrupting it. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

    private final InvalidatorConfig config;
    private final Rules rules;
    private final RedisResources redis;
    private final DeadLetterPublisher deadLetters;
    private final ConsumeLoop loop;
    private final InvalidatorMetrics metrics;
    private final Thread thread;
    private final String clientId;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Invalidator(InvalidatorConfig config, MeterRegistry registry, ApplyHooks hooks, Clock clock) {
        this.config = config;
        this.clientId = config.groupId() + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.rules = config.loadRules(); // before connecting: invalid rules stop the start with their problems
        this.redis = RedisResources.connect(config);
        DeadLetterPublisher dlq = null;
        try {
            dlq = DeadLetterPublisher.create(config.kafkaBootstrap(), config.dlqTopic(), clientId + "-dlq",
                    config.applyTimeout());
            this.metrics = new InvalidatorMetrics(registry, clock);
            metrics.rules(rules.fingerprint());
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(config, clientId),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            this.loop = ConsumeLoop.create(config, rules, consumer, dlq, redis.async(), metrics, hooks, clock);
        } catch (RuntimeException e) {
            if (dlq != null) {
                dlq.close();
            }
            redis.close();
            throw e;
        }
        this.deadLetters = dlq;
        this.thread = new Thread(loop, "invalidator-" + clientId);
        thread.setDaemon(true);
    }

    /** Starts an invalidator with a private meter registry, no hooks and the system clock. */
    public static Invalidator start(InvalidatorConfig config) {
        return builder(config).start();
    }

    /** Returns a builder for an invalidator with the given configuration. */
    public static Builder builder(InvalidatorConfig config) {
        return new Builder(config);
    }

    /** The Kafka consumer settings: manual commits, bounded batches, explicit timeouts. */
    static Map<String, Object> consumerProperties(InvalidatorConfig config, String clientId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 300_000);
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis());
        // a third of the session timeout, Kafka's recommended ratio
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) config.sessionTimeout().toMillis() / 3);
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        // New topics are picked up by the pattern subscription within this time. Short, because at `up` the
        // invalidator often joins its group a moment before the connector has created the change topics: until the
        // next refresh it owns nothing and no watermark moves (10 s here made `up` wait ~8 s longer, now and then).
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 2_000);
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return props;
    }

    /** Returns the configuration this invalidator runs with. */
    public InvalidatorConfig config() {
        return config;
    }

    /** Returns the rules this invalidator applies. */
    public Rules rules() {
        return rules;
    }

    /**
     * Returns the rules fingerprint of the connector's latest watermark markers while it differs from this
     * invalidator's (the watermark does not advance then), else null.
     */
    public String foreignConnectorRules() {
        return metrics.foreignRules();
    }

    /** Returns a snapshot of the consume loop's state. */
    public InvalidatorStatus status() {
        return loop.status();
    }

    /** Returns whether Redis answered PING within the timeout; never throws. */
    public boolean pingRedis(Duration timeout) {
        try {
            return "PONG".equals(redis.async().ping().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    /** Waits until the consume loop has stopped (closed, crashed or failed); returns whether it has. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return thread.join(timeout);
    }

    /**
     * Stops the consume loop (committing the offsets of applied batches; a batch being retried stays uncommitted),
     * waits for it, and closes the Kafka and Redis clients. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        loop.close();
        try {
            // wakeup() ends a poll at once; a Redis or DLQ step in flight is interrupted if it does not end soon.
            if (!thread.join(CLOSE_GRACE)) {
                LOG.info("Consume loop {} still busy after {}; interrupting it", clientId, CLOSE_GRACE);
                thread.interrupt();
                if (!thread.join(CLOSE_GRACE.multipliedBy(2))) {
                    LOG.warn("Consume loop {} did not stop; closing its clients anyway", clientId);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deadLetters.close();
        redis.close();
    }

    private Invalidator startThread() {
        thread.start();
        LOG.info("Invalidator {} started: group {}, topics {}, DLQ {}, Redis {}, rules {} ({} kinds, {} tables, "
                + "fingerprint {}), key space {}", clientId, config.groupId(), config.changeTopics(),
                config.dlqTopic(), config.redisEndpoint().describe(), rules.source(), rules.kinds().size(), rules.tables().size(),
                rules.fingerprint(), rules.keySpace().keyPrefix());
        return this;
    }

    /** Builder of an {@link Invalidator}; not thread-safe. */
    public static final class Builder {
        private final InvalidatorConfig config;
        private MeterRegistry registry;
        private ApplyHooks hooks = ApplyHooks.NONE;
        private Clock clock = Clock.systemUTC();

        private Builder(InvalidatorConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Where the metrics go; a private {@link SimpleMeterRegistry} by default. */
        public Builder meterRegistry(MeterRegistry value) {
            registry = Objects.requireNonNull(value, "registry");
            return this;
        }

        /** Crash-test hooks; {@link ApplyHooks#NONE} by default. */
        public Builder hooks(ApplyHooks value) {
            hooks = Objects.requireNonNull(value, "hooks");
            return this;
        }

        /** Wall clock for broadcast timestamps, latencies and heartbeat scheduling. */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Connects and starts the consume loop.
         *
         * @throws IllegalStateException when Redis cannot be reached
         */
        public Invalidator start() {
            return new Invalidator(config, registry == null ? new SimpleMeterRegistry() : registry, hooks, clock)
                    .startThread();
        }
    }
}
