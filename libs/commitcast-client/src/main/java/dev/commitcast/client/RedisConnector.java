package dev.commitcast.client;

import dev.commitcast.redis.RedisClients;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Owns the Redis clients of this instance ({@link RedisClients}: standalone or Redis Cluster, as the endpoint says):
 * ONE shared, pipelined command connection for L2 (opened here), and the broadcast subscription's connection on a
 * client of its own ({@link #connectPubSubAsync()}), all on one set of Lettuce event loops.
 *
 * <p>Every connection is bounded: explicit command timeout, connect timeout, a bounded request queue and
 * {@code REJECT_COMMANDS} while disconnected, so a Redis outage fails calls fast instead of queueing them. Lettuce
 * reconnects a lost connection by itself (back-off capped at the reconnect delay maximum); a Redis that is down when
 * the client is built is retried here at that interval, and the client is built anyway.
 *
 * <p>The command connection uses a Latin-1 {@link StringCodec}: keys are ASCII, and Latin-1 maps every byte to one
 * char and back, so binary values pass through unchanged while the connection stays the
 * {@code <String, String>} type that {@code commitcast-redis} works on. Thread-safe.
 */
final class RedisConnector {

    private static final Logger LOG = LoggerFactory.getLogger(RedisConnector.class);
    /** Binary-transparent codec of the command connection (see class documentation). */
    private static final StringCodec BINARY_SAFE = new StringCodec(StandardCharsets.ISO_8859_1);

    private final Settings config;
    private final ClientResources resources;
    private final RedisClients client;
    private final RedisClients subscriptions;
    private final ScheduledExecutorService retries;
    private final List<Consumer<RedisClusterAsyncCommands<String, String>>> connectListeners =
            new CopyOnWriteArrayList<>();
    private volatile RedisClients.Link connection;
    private volatile boolean closed;

    /** Creates the clients and starts connecting the command connection. */
    RedisConnector(Settings config) {
        this.config = config;
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(20), this.config.reconnectDelayMax(), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        RedisClients.Bounds bounds = new RedisClients.Bounds(config.commandTimeout(), config.connectTimeout(),
                config.requestQueueSize(), true);
        this.client = RedisClients.create(config.endpoint(), bounds, resources);
        this.subscriptions = RedisClients.create(config.endpoint(), bounds, resources);
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "redis-connect-retry");
            thread.setDaemon(true);
            return thread;
        });
        CompletionStage<?> first = connectWithRetry("L2 command connection",
                () -> client.connectAsync(BINARY_SAFE), this::connected);
        awaitQuietly(first, this.config.connectTimeout().multipliedBy(2));
    }

    /** Opens a pub/sub connection on the subscriptions' own client. */
    CompletionStage<StatefulRedisPubSubConnection<String, String>> connectPubSubAsync() {
        return subscriptions.connectPubSubAsync();
    }

    /** Returns the async commands of the shared connection, or {@code null} until it has connected once. */
    RedisClusterAsyncCommands<String, String> commands() {
        RedisClients.Link current = connection;
        return current == null ? null : current.async();
    }

    /** Returns whether the shared connection is open right now. */
    boolean isConnected() {
        RedisClients.Link current = connection;
        return current != null && current.isOpen();
    }

    /**
     * Runs the action once the shared connection is first established (at once if it already is). If registration
     * races with the connection, the action may run twice, so it must be idempotent.
     */
    void onFirstConnect(Consumer<RedisClusterAsyncCommands<String, String>> action) {
        connectListeners.add(action);
        RedisClusterAsyncCommands<String, String> commands = commands();
        if (commands != null) {
            action.accept(commands);
        }
    }

    /**
     * Runs the action (on a Lettuce thread) whenever the shared command connection is lost; Lettuce reconnects by
     * itself afterwards. Standalone Redis only (see {@link RedisClients#onDisconnect}).
     *
     * @return whether it was registered
     */
    boolean onDisconnect(Runnable action) {
        return client.onDisconnect(action);
    }

    /**
     * Connects with {@code attempt}, retrying every {@code reconnect-delay-max} until it succeeds or this connector
     * closes; then hands the connection to {@code onConnected}. Returns the first attempt, so a caller can wait for
     * it (bounded) when Redis is expected to be up.
     */
    <C> CompletionStage<C> connectWithRetry(String what, Supplier<CompletionStage<C>> attempt,
                                                   Consumer<C> onConnected) {
        if (closed) {
            return CompletableFuture.failedStage(new IllegalStateException("Redis connector closed"));
        }
        return attempt.get().whenComplete((connected, error) -> {
            if (error == null) {
                LOG.info("Redis {} established to {}", what, client.describe());
                onConnected.accept(connected);
                return;
            }
            LOG.warn("Redis {} to {} failed: {}; serving without it, retrying in {} ms", what, client.describe(),
                    rootCause(error), config.reconnectDelayMax().toMillis());
            if (!closed) {
                retries.schedule(() -> connectWithRetry(what, attempt, onConnected),
                        config.reconnectDelayMax().toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /**
     * Waits up to {@code timeout} for a first connection attempt, so that a service starting next to a healthy Redis
     * serves its first requests with L2; a failed or slow attempt is left to the background retries.
     */
    static void awaitQuietly(CompletionStage<?> attempt, Duration timeout) {
        try {
            attempt.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("first Redis connection attempt not done within {}: {}", timeout, e.toString());
        }
    }

    private static String rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == error ? error.toString() : error.getMessage() + " (" + root + ")";
    }

    private void connected(RedisClients.Link established) {
        if (closed) {
            established.close();
            return;
        }
        connection = established;
        for (Consumer<RedisClusterAsyncCommands<String, String>> listener : connectListeners) {
            listener.accept(established.async());
        }
    }

    /** Closes the connection, the clients' shared event loops and the retry thread. */
    void close() {
        closed = true;
        retries.shutdownNow();
        RedisClients.Link current = connection;
        if (current != null) {
            current.close();
        }
        subscriptions.close();
        client.close();
        RedisClients.shutdown(resources);
    }
}
