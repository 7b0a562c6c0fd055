package dev.commitcast.invalidator.support;

import dev.commitcast.core.wire.EvictionCodec;
import dev.commitcast.core.wire.EvictionMessage;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Rules;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/** Subscribes to a key space's eviction channel and decodes every message with the shared {@link EvictionCodec}. */
public final class Broadcasts implements AutoCloseable {

    private final StatefulRedisPubSubConnection<String, String> connection;
    private final BlockingQueue<EvictionMessage> unread = new LinkedBlockingQueue<>();
    private final List<EvictionMessage> all = new CopyOnWriteArrayList<>();

    Broadcasts(RedisClient client, Rules rules) {
        KeySpace keySpace = rules.keySpace();
        EvictionCodec codec = new EvictionCodec(rules);
        connection = client.connectPubSub();
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                EvictionMessage decoded = codec.decode(message);
                all.add(decoded);
                unread.add(decoded);
            }
        });
        connection.sync().subscribe(keySpace.evictionChannel()); // returns once Redis confirmed the subscription
    }

    /** Every message received so far, in order. */
    public List<EvictionMessage> all() {
        return List.copyOf(all);
    }

    /** Waits for the next unread message that matches, skipping the others; fails the test at the deadline. */
    public EvictionMessage await(String what, Predicate<EvictionMessage> matching, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<EvictionMessage> skipped = new ArrayList<>();
        while (true) {
            long remaining = deadline - System.nanoTime();
            EvictionMessage next = remaining <= 0 ? null : unread.poll(remaining, TimeUnit.NANOSECONDS);
            if (next == null) {
                return fail("no broadcast " + what + " within " + timeout + "; skipped " + skipped);
            }
            if (matching.test(next)) {
                return next;
            }
            skipped.add(next);
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
