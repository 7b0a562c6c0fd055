package dev.commitcast.redis;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.Rules;
import dev.commitcast.core.Watermark;
import dev.commitcast.core.wire.EvictionCodec;
import dev.commitcast.core.wire.EvictionMessage;
import dev.commitcast.devstack.DevStack;
import dev.commitcast.testsupport.Repo;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvictionPublisherIT {
    private static final Instant NOW = Instant.parse("2026-11-23T01:00:00Z");

    @Test
    void messagesAreSequencedChunkedAndCarryTheWatermarkLast() throws Exception {
        Rules rules = Repo.demoRules("pub1");
        var space = rules.keySpace();
        EvictionCodec codec = new EvictionCodec(rules);
        RedisClient client = RedisClient.create(DevStack.shared().redis().uri());
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
             StatefulRedisConnection<String, String> pub = client.connect()) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    received.add(message);
                }
            });
            sub.sync().subscribe(space.evictionChannel());
            EvictionPublisher publisher = new EvictionPublisher(pub.async(), rules, Clock.fixed(NOW, ZoneOffset.UTC));

            List<CacheKey> keys = new ArrayList<>();
            for (long user = 1; user <= EvictionPublisher.MAX_KEYS_PER_MESSAGE + 1; user++) {
                keys.add(rules.kind("user").key(1, user));
            }
            Watermark watermark = new Watermark(100, NOW.minusMillis(5));
            publisher.publish(keys, List.of(rules.parseNamespace("tag=2")), watermark).toCompletableFuture().get(5, TimeUnit.SECONDS);
            publisher.heartbeat(new Watermark(101, NOW)).toCompletableFuture().get(5, TimeUnit.SECONDS);

            EvictionMessage first = codec.decode(poll(received));
            EvictionMessage second = codec.decode(poll(received));
            EvictionMessage heartbeat = codec.decode(poll(received));
            assertEquals(List.of(1L, 2L, 3L), List.of(first.sequence(), second.sequence(), heartbeat.sequence()));
            assertEquals(publisher.publisherId(), second.publisherId());
            assertEquals(EvictionPublisher.MAX_KEYS_PER_MESSAGE, first.keys().size());
            assertNull(first.watermark(), "the watermark rides on the last message of a batch");
            assertEquals(List.of(rules.kind("user").key(1, EvictionPublisher.MAX_KEYS_PER_MESSAGE + 1)), second.keys());
            assertEquals(List.of(rules.parseNamespace("tag=2")), second.namespaces());
            assertEquals(rules.fingerprint(), second.rulesFingerprint());
            assertEquals(watermark, second.watermark());
            assertTrue(heartbeat.isHeartbeat());
            assertEquals(NOW.toEpochMilli(), heartbeat.sentAtEpochMillis());
            assertEquals(new Watermark(101, NOW), Watermark.parseWire(pub.sync().get(space.watermarkKey())));
        } finally {
            client.shutdown();
        }
    }

    private static String poll(BlockingQueue<String> received) throws InterruptedException {
        String message = received.poll(5, TimeUnit.SECONDS);
        assertNotNull(message, "a broadcast within 5 s");
        return message;
    }
}
