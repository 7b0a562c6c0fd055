package dev.commitcast.cli.platform;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One short-lived Redis connection for a command: every command has {@link #COMMAND_TIMEOUT}, connecting has
 * {@link #CONNECT_TIMEOUT}, nothing is queued while disconnected and nothing reconnects (a command that loses Redis
 * fails instead of waiting). Thread-safe; {@link #close()} releases the connection and its event loops.
 */
public final class RedisSession implements AutoCloseable {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final String uri;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private RedisSession(String uri, ClientResources resources, RedisClient client,
                         StatefulRedisConnection<String, String> connection) {
        this.uri = uri;
        this.resources = resources;
        this.client = client;
        this.connection = connection;
    }

    /** Connects; {@link IllegalStateException} naming the URI when Redis cannot be reached. */
    public static RedisSession connect(String uri) {
        ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .build();
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(COMMAND_TIMEOUT);
        RedisClient client = RedisClient.create(resources, redisUri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
                .build());
        try {
            return new RedisSession(uri, resources, client, client.connect());
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            resources.shutdown(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot connect to Redis at " + uri + ": " + Failures.rootMessage(e), e);
        }
    }

    public String uri() {
        return uri;
    }

    public RedisAsyncCommands<String, String> async() {
        return connection.async();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
