package dev.commitcast.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The one place a Commitcast process builds a Lettuce client: for a standalone server ({@code redis://},
 * {@code rediss://}) or a Redis Cluster ({@code redis-cluster://}, {@code rediss-cluster://}), with the same bounds
 * either way — a command timeout, a connect timeout, a bounded request queue, and commands rejected at once while
 * disconnected, so an outage fails calls fast instead of queueing them.
 *
 * <p>On a cluster the topology is refreshed on every adaptive trigger (MOVED, ASK, persistent reconnects, an
 * unknown node) and every {@link #TOPOLOGY_REFRESH}, so a failover is followed within seconds; commands are routed
 * by slot, and multi-key deletes are split per slot by Lettuce. Connections are handed out as {@link Link}s, whose
 * commands are {@link RedisClusterAsyncCommands} — the command set both kinds share, which every class of
 * {@code commitcast-redis} works on.
 *
 * <p>{@link #close()} is bounded: Lettuce may block in {@code shutdown} while a cluster node is dead, so it runs on
 * a daemon thread and is waited for at most {@link #SHUTDOWN_WAIT}. Thread-safe.
 */
public final class RedisClients implements AutoCloseable {

    /** How often a cluster client re-reads the topology even without a trigger. */
    public static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(2);
    /** The longest {@link #close()} waits for Lettuce to shut down. */
    public static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(3);

    /**
     * The limits of every connection.
     *
     * @param commandTimeout   every command's timeout
     * @param connectTimeout   TCP connect and handshake timeout
     * @param requestQueueSize commands in flight per connection before new ones are rejected
     * @param autoReconnect    whether lost connections reconnect by themselves (services) or not (one-shot tools)
     */
    public record Bounds(Duration commandTimeout, Duration connectTimeout, int requestQueueSize,
                         boolean autoReconnect) {
        public Bounds {
            Objects.requireNonNull(commandTimeout, "commandTimeout");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            if (requestQueueSize < 1) {
                throw new IllegalArgumentException("requestQueueSize must be >= 1, was " + requestQueueSize);
            }
        }
    }

    /**
     * One connection with the commands both standalone Redis and Redis Cluster understand.
     *
     * @param connection the Lettuce connection (a {@link StatefulRedisClusterConnection} on a cluster)
     * @param async      its async commands ({@code RedisAdvancedClusterAsyncCommands} on a cluster)
     */
    public record Link(StatefulConnection<String, String> connection, RedisClusterAsyncCommands<String, String> async) {

        static Link of(StatefulConnection<String, String> connection) {
            return new Link(connection, switch (connection) {
                case StatefulRedisClusterConnection<String, String> cluster -> cluster.async();
                case StatefulRedisConnection<String, String> single -> single.async();
                default -> throw new IllegalArgumentException("not a command connection: " + connection);
            });
        }

        /** Whether the connection is open (it may be reconnecting). */
        public boolean isOpen() {
            return connection.isOpen();
        }

        /** Closes the connection. */
        public void close() {
            connection.close();
        }
    }

    private final RedisEndpoint endpoint;
    private final List<RedisURI> uris;
    private final AbstractRedisClient client;

    private RedisClients(RedisEndpoint endpoint, Bounds bounds, ClientResources resources) {
        this.endpoint = endpoint;
        // The URI timeout bounds the connection handshake (HELLO/AUTH/PING); commands have their own timeout.
        this.uris = endpoint.redisUris(bounds.connectTimeout());
        if (endpoint.cluster()) {
            RedisClusterClient cluster = RedisClusterClient.create(resources, uris);
            cluster.setOptions(endpoint.withTls(ClusterClientOptions.builder())
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                            .enableAllAdaptiveRefreshTriggers()
                            .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
                            .build())
                    .autoReconnect(bounds.autoReconnect())
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .requestQueueSize(bounds.requestQueueSize())
                    .timeoutOptions(TimeoutOptions.enabled(bounds.commandTimeout()))
                    .socketOptions(socket(bounds))
                    .build());
            this.client = cluster;
        } else {
            RedisClient single = RedisClient.create(resources, uris.getFirst());
            single.setOptions(endpoint.withTls(ClientOptions.builder())
                    .autoReconnect(bounds.autoReconnect())
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .requestQueueSize(bounds.requestQueueSize())
                    .timeoutOptions(TimeoutOptions.enabled(bounds.commandTimeout()))
                    .socketOptions(socket(bounds))
                    .build());
            this.client = single;
        }
    }

    /** A client for the endpoint on the caller's event loops ({@code resources}, which the caller shuts down). */
    public static RedisClients create(RedisEndpoint endpoint, Bounds bounds, ClientResources resources) {
        return new RedisClients(Objects.requireNonNull(endpoint, "endpoint"), Objects.requireNonNull(bounds, "bounds"),
                Objects.requireNonNull(resources, "resources"));
    }

    private static SocketOptions socket(Bounds bounds) {
        return SocketOptions.builder().connectTimeout(bounds.connectTimeout()).keepAlive(true).build();
    }

    /** Whether this is a cluster client. */
    public boolean isCluster() {
        return client instanceof RedisClusterClient;
    }

    /** Where it connects, without a password, e.g. for logs. */
    public String describe() {
        return endpoint.describe();
    }

    /**
     * Opens a command connection with that codec. On a cluster the topology is (re)read first, so a retry after a
     * failed attempt does not start from a stale view.
     */
    public CompletionStage<Link> connectAsync(RedisCodec<String, String> codec) {
        return switch (client) {
            case RedisClusterClient cluster -> cluster.refreshPartitionsAsync()
                    .thenCompose(ignored -> cluster.connectAsync(codec))
                    .thenApply(Link::of);
            case RedisClient single -> single.connectAsync(codec, uris.getFirst()).thenApply(Link::of);
            default -> throw new IllegalStateException(client.toString());
        };
    }

    /**
     * Opens a command connection and waits for it.
     *
     * @throws RuntimeException Lettuce's failure when Redis cannot be reached
     */
    public Link connect() {
        return switch (client) {
            case RedisClusterClient cluster -> Link.of(cluster.connect(StringCodec.UTF8));
            case RedisClient single -> Link.of(single.connect(StringCodec.UTF8));
            default -> throw new IllegalStateException(client.toString());
        };
    }

    /**
     * Opens a pub/sub connection. On a cluster it is one node's connection: a {@code PUBLISH} on any node reaches
     * subscribers on every node, and Lettuce reconnects it to another node when its node fails.
     */
    public CompletionStage<StatefulRedisPubSubConnection<String, String>> connectPubSubAsync() {
        return switch (client) {
            case RedisClusterClient cluster -> cluster.refreshPartitionsAsync()
                    .thenCompose(ignored -> cluster.connectPubSubAsync(StringCodec.UTF8))
                    .thenApply(connection -> (StatefulRedisPubSubConnection<String, String>) connection);
            case RedisClient single -> single.connectPubSubAsync(StringCodec.UTF8, uris.getFirst())
                    .thenApply(connection -> connection);
            default -> throw new IllegalStateException(client.toString());
        };
    }

    /**
     * Runs the action (on a Lettuce thread) whenever a connection of this client is lost. On a cluster the client's
     * own topology refreshes open and close connections all the time, so there it means nothing and is not
     * registered; cluster callers watch the cluster's identity instead ({@link RedisServerIdentity}).
     *
     * @return whether the action was registered (standalone only)
     */
    public boolean onDisconnect(Runnable action) {
        if (client instanceof RedisClient single) {
            single.addListener(new RedisConnectionStateListener() {
                @Override
                public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                    action.run();
                }
            });
            return true;
        }
        return false;
    }

    /** Shuts the client down, waiting at most {@link #SHUTDOWN_WAIT} (see the class documentation). */
    @Override
    public void close() {
        bounded("redis-client-shutdown", () -> client.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
    }

    /** Shuts event loops down, bounded like {@link #close()}. */
    public static void shutdown(ClientResources resources) {
        bounded("redis-resources-shutdown", () -> resources.shutdown(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS));
    }

    /** What {@link #bounded} runs: a shutdown step that may throw. */
    private interface Step {
        void run() throws Exception;
    }

    /**
     * Runs a shutdown step on a daemon thread and waits for it at most {@link #SHUTDOWN_WAIT}: a step that fails has
     * nothing left to clean up, and one that hangs (Lettuce with a dead cluster node) ends with the JVM.
     */
    private static void bounded(String name, Step step) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name(name).start(() -> {
            try {
                step.run();
            } catch (Exception e) {
                // nothing left to do with a client that cannot shut down cleanly
            } finally {
                done.complete(null);
            }
        });
        try {
            done.get(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // gave up waiting
        }
    }
}
