package dev.commitcast.cli;

import dev.commitcast.core.Rules;
import dev.commitcast.testsupport.Repo;
import dev.commitcast.devstack.DevStack;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.wire.EvictionCodec;
import dev.commitcast.core.wire.EvictionMessage;
import dev.commitcast.core.KeySpace;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The shared dev stack's Redis with a fresh key space per instance, for integration tests: seed values and leases,
 * check which exist, and listen to the key space's eviction broadcasts (decoded with the shared codec).
 */
public final class TestRedis implements AutoCloseable {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final Rules rules;
    private final KeySpace keySpace;

    public TestRedis() {
        client = RedisClient.create(DevStack.shared().redis().uri());
        connection = client.connect();
        rules = Repo.demoRules("it-" + UUID.randomUUID().toString().substring(0, 8));
        keySpace = rules.keySpace();
    }

    public String uri() {
        return DevStack.shared().redis().uri();
    }

    public KeySpace keySpace() {
        return keySpace;
    }

    /** The demo's rules in this test's key space. */
    public Rules rules() {
        return rules;
    }

    /** The demo's rules file, for --rules. */
    public String rulesFile() {
        return Repo.demoRulesFile().toString();
    }

    public RedisCommands<String, String> sync() {
        return connection.sync();
    }

    /** Sets each key's value and fill lease. */
    public void seed(CacheKey... keys) {
        for (CacheKey key : keys) {
            sync().set(keySpace.valueKey(key), "{\"cached\":true}");
            sync().set(keySpace.leaseKey(key), "token:0");
        }
    }

    /** Whether the key's value is there (and its lease: both or neither, else the test fails). */
    public boolean cached(CacheKey key) {
        boolean value = sync().exists(keySpace.valueKey(key)) == 1;
        boolean lease = sync().exists(keySpace.leaseKey(key)) == 1;
        if (value != lease) {
            fail(keySpace.valueKey(key) + ": value " + (value ? "present" : "gone") + " but lease " + (lease ? "present"
                    : "gone"));
        }
        return value;
    }

    /** Subscribes to this key space's eviction channel; returns once Redis confirmed the subscription. */
    public Broadcasts subscribe() {
        return new Broadcasts();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    /** Eviction broadcasts received on the key space's channel. */
    public final class Broadcasts implements AutoCloseable {
        private final StatefulRedisPubSubConnection<String, String> pubSub = client.connectPubSub();
        private final BlockingQueue<EvictionMessage> received = new LinkedBlockingQueue<>();

        private Broadcasts() {
            EvictionCodec eviction = new EvictionCodec(rules);
            pubSub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    received.add(eviction.decode(message));
                }
            });
            pubSub.sync().subscribe(keySpace.evictionChannel());
        }

        /** Waits for the next message; fails the test at the deadline. */
        public EvictionMessage next(Duration timeout) throws InterruptedException {
            EvictionMessage message = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                fail("no broadcast on " + keySpace.evictionChannel() + " within " + timeout);
            }
            return message;
        }

        /** Every message received so far, without waiting. */
        public List<EvictionMessage> drain() {
            List<EvictionMessage> messages = new ArrayList<>();
            received.drainTo(messages);
            return messages;
        }

        @Override
        public void close() {
            pubSub.close();
        }
    }
}
