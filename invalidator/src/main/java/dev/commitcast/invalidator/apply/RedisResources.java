package dev.commitcast.invalidator.apply;

import dev.commitcast.core.Secrets;
import dev.commitcast.invalidator.config.InvalidatorConfig;
import dev.commitcast.redis.RedisClients;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The invalidator's one Redis connection — to a standalone server or a Redis Cluster, as the URI says
 * ({@link RedisClients}) — configured so that no call can hang or pile up: every command has the configured
 * timeout, the request queue is bounded, commands issued while disconnected fail at once (the batch is retried by
 * the consume loop instead of queued in Lettuce), and reconnect attempts back off to at most
 * {@code retry-max-backoff} so a restarted Redis is picked up quickly.
 *
 * <p>Thread-safe (Lettuce connections are); {@link #close()} releases the connection, client and event loops.
 */
public final class RedisResources implements AutoCloseable {

    private final ClientResources resources;
    private final RedisClients client;
    private final RedisClients.Link connection;

    private RedisResources(ClientResources resources, RedisClients client, RedisClients.Link connection) {
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
        RedisClients client = RedisClients.create(config.redisEndpoint(),
                new RedisClients.Bounds(timeout, timeout, config.redisRequestQueueSize(), true), resources);
        try {
            return new RedisResources(resources, client, client.connect());
        } catch (RuntimeException e) {
            client.close();
            RedisClients.shutdown(resources);
            throw new IllegalStateException("cannot connect to Redis at " + config.redisEndpoint().describe() + " ("
                    + InvalidatorConfig.PREFIX + ".redis-uri): " + Secrets.redact(e.getMessage())
                    + "; the invalidator needs Redis to apply invalidations", e);
        }
    }

    /** Returns the async commands of the shared connection (cluster-routing ones on a cluster). */
    public RedisClusterAsyncCommands<String, String> async() {
        return connection.async();
    }

    /** Returns whether the connection is currently open (it reconnects by itself after an outage). */
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public void close() {
        connection.close();
        client.close();
        RedisClients.shutdown(resources);
    }
}
