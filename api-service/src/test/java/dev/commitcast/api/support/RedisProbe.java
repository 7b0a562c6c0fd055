package dev.commitcast.api.support;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.time.Duration;

/** A direct connection to the dev stack's Redis, to inspect keys and publish broadcasts as the invalidator would. */
public final class RedisProbe implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    /** Connects to the shared dev stack's Redis. */
    public RedisProbe() {
        RedisURI uri = RedisURI.create(TestStack.stack().redis().uri());
        uri.setTimeout(Duration.ofSeconds(5));
        client = RedisClient.create(uri);
        connection = client.connect();
    }

    /** Returns synchronous commands. */
    public RedisCommands<String, String> redis() {
        return connection.sync();
    }

    /** Returns whether the key exists. */
    public boolean exists(String key) {
        return connection.sync().exists(key) == 1;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
