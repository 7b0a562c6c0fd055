package dev.commitcast.invalidator.apply;

import dev.commitcast.invalidator.config.InvalidatorConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import dev.commitcast.core.Secrets;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The invalidator's one Redis connection, configured so that no call can hang or pile up: every command has the
 * configured timeout, the request queue is bounded, commands issued while disconnected fail at once (the batch is
 * retried by the consume loop instead of queued in Lettuce), and reconnect attempts back off to at most
 * {@code retry-max-backoff} so a restarted Redis is picked up quickly.
 *
 * <p>Thread-safe (Lettuce connections are); {@link #close()} releases the connection, client and event loops.
 */
public final class RedisResources implements AutoCloseable {

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private RedisResources(ClientResources resources, RedisClient client,
                           StatefulRedisConnection<String, String> connection) {
        this.resources = resources;
        this.client = client;
        this.connection = connection;
    }

    /**
     * Connects.
     *
     * @throws IllegalStateException naming the URI, when Redis cannot be reached within the command timeout
     */
    public static RedisResources connect(InvalidatorConfig config) {
        Duration timeout = config.redisCommandTimeout();
        ClientResources resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), config.retryMaxBackoff(), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        RedisURI uri = config.redisEndpoint().redisUri(timeout);
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(config.redisEndpoint().withTls(ClientOptions.builder())
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(config.redisRequestQueueSize())
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
                .build());
        try {
            return new RedisResources(resources, client, client.connect());
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, timeout);
            resources.shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
            throw new IllegalStateException("cannot connect to Redis at " + config.redisEndpoint().describe() + " ("
                    + InvalidatorConfig.PREFIX + ".redis-uri): " + Secrets.redact(e.getMessage())
                    + "; the invalidator needs Redis to apply invalidations", e);
        }
    }

    /** Returns the async commands of the shared connection. */
    public RedisAsyncCommands<String, String> async() {
        return connection.async();
    }

    /** Returns whether the connection is currently open (it reconnects by itself after an outage). */
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
