package dev.commitcast.cli.platform;

import dev.commitcast.core.Secrets;
import dev.commitcast.redis.RedisEndpoint;
import java.util.Map;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
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
        RedisClient client = RedisClient.create(resources, endpoint.redisUri(COMMAND_TIMEOUT));
        client.setOptions(endpoint.withTls(ClientOptions.builder())
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
                .build());
        try {
            return new RedisSession(endpoint.describe(), resources, client, client.connect());
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            resources.shutdown(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot connect to Redis at " + endpoint.describe() + ": "
                    + Secrets.redact(Failures.rootMessage(e)), e);
        }
    }

    /** Where the session is connected, without a password. */
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
