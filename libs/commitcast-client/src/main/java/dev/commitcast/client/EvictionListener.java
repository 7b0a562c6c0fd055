package dev.commitcast.client;

import dev.commitcast.core.wire.EvictionCodec;
import dev.commitcast.core.wire.EvictionMessage;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.wire.EvictionCodec.Header;
import dev.commitcast.core.Namespace;
import dev.commitcast.core.wire.SequenceTracker;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps this instance's L1 in step with the invalidator: subscribes to {@link KeySpace#evictionChannel()} on a
 * dedicated pub/sub connection and applies every message through {@link L1Evictions}. Lost messages are detected with
 * a {@link SequenceTracker}: a gap flushes L1, and so do losing the subscription and every (re)subscription (pub/sub
 * does not replay what was sent meanwhile). Watermarks go to the {@link StalenessGuard}. Every message's rules
 * fingerprint goes to {@link RulesAgreement}; a message published under other rules is not applied (its keys may mean
 * something else here) and its watermark does not count.
 *
 * <p>Meters: {@code commitcast_broadcast_messages_total{outcome}}, {@code commitcast_broadcast_delay_seconds}
 * (now − sentAt; a histogram, the last stage of {@code status}' invalidation latency), {@code commitcast_broadcast_subscription_losses_total}. Callbacks run on Lettuce I/O threads.
 */
final class EvictionListener extends RedisPubSubAdapter<String, String> {

    private static final Logger LOG = LoggerFactory.getLogger(EvictionListener.class);
    /** How long the start waits for the first subscription attempt before leaving it to the retries. */
    private static final Duration WAIT_FOR_FIRST = Duration.ofSeconds(2);

    private final RedisConnector connector;
    private final EvictionCodec codec;
    private final String channel;
    private final L1Evictions evictions;
    private final StalenessGuard staleness;
    private final RulesAgreement rules;
    private final Clock clock;
    private final SequenceTracker sequences = new SequenceTracker();
    private final MeterRegistry registry;
    private final Timer delay;
    private final Counter losses;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final AtomicInteger subscriptions = new AtomicInteger();
    private volatile boolean closing;
    private volatile StatefulRedisPubSubConnection<String, String> connection;

    EvictionListener(RedisConnector connector, EvictionCodec codec, KeySpace keySpace, L1Evictions evictions,
                     StalenessGuard staleness, RulesAgreement rules, Clock clock, MeterRegistry registry) {
        this.rules = rules;
        this.connector = connector;
        this.codec = codec;
        this.channel = keySpace.evictionChannel();
        this.evictions = evictions;
        this.staleness = staleness;
        this.clock = clock;
        this.registry = registry;
        this.delay = Timer.builder("commitcast.broadcast.delay")
                .description("Eviction broadcast delay: receive time minus the publisher's send time")
                // percentiles for /v1/perf/summary; Prometheus gets the histogram (the exporter then drops them)
                .publishPercentiles(0.5, 0.95, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        this.losses = Counter.builder("commitcast.broadcast.subscription.losses")
                .description("Times the eviction subscription was lost (each flushes L1)").register(registry);
    }

    /** Opens the subscription, waiting a little for the first attempt (later ones retry in the background). */
    void start() {
        RedisConnector.awaitQuietly(connector.connectWithRetry("eviction subscription",
                connector::connectPubSubAsync, this::subscribe), WAIT_FOR_FIRST);
    }

    private void subscribe(StatefulRedisPubSubConnection<String, String> established) {
        connection = established;
        established.addListener((RedisPubSubListener<String, String>) this);
        established.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                subscriptionLost();
            }
        });
        established.async().subscribe(channel).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.warn("SUBSCRIBE {} failed: {}; retrying on reconnect", channel, error.getMessage());
            }
        });
    }

    @Override
    public void subscribed(String subscribedChannel, long count) {
        if (!channel.equals(subscribedChannel)) {
            return;
        }
        // Whatever was broadcast before this (re)subscription is lost to us: start from an empty L1.
        sequences.reset();
        evictions.flushAll(subscriptions.getAndIncrement() == 0 ? "subscribed" : "resubscribed");
        subscribed.set(true);
        LOG.info("Subscribed to eviction channel {}", channel);
    }

    private void subscriptionLost() {
        if (subscribed.getAndSet(false) && !closing) {
            losses.increment();
            evictions.flushAll("subscription-lost");
            LOG.warn("Eviction subscription to {} lost; L1 flushed, resubscribing when Redis is back", channel);
        }
    }

    @Override
    public void message(String fromChannel, String text) {
        if (!channel.equals(fromChannel)) {
            return;
        }
        try {
            receive(text);
        } catch (RuntimeException e) {
            // An eviction we could not apply may leave stale entries: drop everything rather than serve them.
            count("failed");
            evictions.flushAll("apply-failed");
            LOG.error("Applying eviction broadcast failed; L1 flushed. Message: {}", text, e);
        }
    }

    private void receive(String text) {
        Header header;
        try {
            header = codec.header(text);
        } catch (IllegalArgumentException e) {
            malformed(e);
            return;
        }
        rules.observe(header.publisherId(), header.rulesFingerprint());
        if (!header.rulesFingerprint().equals(rules.ours())) {
            // Not applied: its keys may name other values here. Its sequence still counts, so that no gap is seen
            // when the rules agree again (L1 is flushed then anyway).
            sequences.observe(header.publisherId(), header.sequence());
            count("foreign-rules");
            return;
        }
        EvictionMessage message;
        try {
            message = codec.decode(text);
        } catch (IllegalArgumentException e) {
            malformed(e);
            return;
        }
        delay.record(Duration.ofMillis(Math.max(0, clock.millis() - message.sentAtEpochMillis())));
        switch (sequences.observe(message.publisherId(), message.sequence())) {
            case DUPLICATE_OR_OLD -> {
                count("duplicate");
                return;
            }
            case GAP -> {
                evictions.flushAll("gap");
                count("gap"); // after the flush: whoever sees the count sees its effect
                LOG.warn("Eviction broadcast gap from publisher {} at sequence {}; L1 flushed",
                        message.publisherId(), message.sequence());
            }
            case IN_ORDER -> apply(message);
        }
        if (message.watermark() != null) {
            staleness.observe(message.watermark());
        }
    }

    /** A message that cannot be read may have named keys to evict: drop L1 rather than keep what it evicted. */
    private void malformed(IllegalArgumentException e) {
        evictions.flushAll("malformed");
        count("malformed"); // after the flush: whoever sees the count sees its effect
        LOG.warn("Malformed eviction broadcast, L1 flushed: {}", e.getMessage());
    }

    /** Returns whether the subscription is currently confirmed. */
    boolean isSubscribed() {
        return subscribed.get();
    }

    private void apply(EvictionMessage message) {
        if (message.isHeartbeat()) {
            count("heartbeat");
            return;
        }
        if (message.flushAll()) {
            evictions.flushAll("broadcast");
        } else {
            evictions.evict(message.keys());
            for (Namespace namespace : message.namespaces()) {
                evictions.evict(namespace);
            }
        }
        count("applied");
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, name -> Counter.builder("commitcast.broadcast.messages")
                .description("Eviction broadcasts received, by outcome")
                .tag("outcome", name).register(registry)).increment();
    }

    void close() {
        closing = true;
        StatefulRedisPubSubConnection<String, String> current = connection;
        if (current != null) {
            current.close();
        }
    }
}
