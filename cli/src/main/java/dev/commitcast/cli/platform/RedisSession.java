package dev.commitcast.cli.platform;

import dev.commitcast.core.Secrets;
import dev.commitcast.redis.RedisEndpoint;
import java.util.Map;

import dev.commitcast.redis.RedisClients;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

import java.time.Duration;

/**
 * One short-lived Redis connection for a command, to a standalone server or a Redis Cluster
 * ({@code redis-cluster://host:port,...}): every command has {@link #COMMAND_TIMEOUT}, connecting has
 * {@link #CONNECT_TIMEOUT}, nothing is queued while disconnected and nothing reconnects (a command that loses Redis
 * fails instead of waiting). Thread-safe; {@link #close()} releases the connection and its event loops.
 */
public final class RedisSession implements AutoCloseable {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final String uri;
    private final ClientResources resources;
    private final RedisClients client;
    private final RedisClients.Link connection;

    private RedisSession(String uri, ClientResources resources, RedisClients client, RedisClients.Link connection) {
        this.uri = uri;
        this.resources = resources;
        this.client = client;
        this.connection = connection;
    }

    /**
     * Connects as the environment says: {@code COMMITCAST_REDIS_USER}, {@code COMMITCAST_REDIS_PASSWORD} (or
     * {@code COMMITCAST_REDIS_PASSWORD_FILE}) and, for {@code rediss://}, {@code COMMITCAST_REDIS_TLS_CA_FILE} — as
     * the services do; never a password on the command line.
     *
     * @throws IllegalStateException naming the URI (its password masked) when Redis cannot be reached
     */
    public static RedisSession connect(String uri) {
        return connect(endpoint(uri, System.getenv()));
    }

    /** The endpoint of {@code uri} with the credentials of {@code env}. */
    static RedisEndpoint endpoint(String uri, Map<String, String> env) {
        String password = env.getOrDefault("COMMITCAST_REDIS_PASSWORD", "");
        Object fromFile = Secrets.fromFiles(env, Map.of("COMMITCAST_REDIS_PASSWORD_FILE", "password")).get("password");
        return RedisEndpoint.of(uri, env.get("COMMITCAST_REDIS_USER"),
                fromFile == null ? password : fromFile.toString(), env.get("COMMITCAST_REDIS_TLS_CA_FILE"))
                .validate("COMMITCAST_REDIS");
    }

    static RedisSession connect(RedisEndpoint endpoint) {
        ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .build();
        RedisClients client = RedisClients.create(endpoint, new RedisClients.Bounds(COMMAND_TIMEOUT, CONNECT_TIMEOUT,
                100_000, false), resources);
        try {
            return new RedisSession(endpoint.describe(), resources, client, client.connect());
        } catch (RuntimeException e) {
            client.close();
            RedisClients.shutdown(resources);
            throw new IllegalStateException("cannot connect to Redis at " + endpoint.describe() + ": "
                    + Secrets.redact(Failures.rootMessage(e)), e);
        }
    }

    /** Where the session is connected, without a password. */
    public String uri() {
        return uri;
    }

    /** The session's commands (cluster-routing ones on a cluster). */
    public RedisClusterAsyncCommands<String, String> async() {
        return connection.async();
    }

    @Override
    public void close() {
        connection.close();
        client.close();
        RedisClients.shutdown(resources);
    }
}
