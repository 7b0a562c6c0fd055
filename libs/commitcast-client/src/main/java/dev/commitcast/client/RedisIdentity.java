package dev.commitcast.client;

import dev.commitcast.core.KeySpace;
import dev.commitcast.redis.RedisServerIdentity;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether the Redis server this instance talks to is the one the invalidator made the key space consistent on
 * ({@link KeySpace#serverKey()} holds its {@code run_id}). A Redis that restarted may have loaded old values and
 * fill leases from RDB or AOF, deleted since; a replica that took over may lack recent deletes. Until the invalidator
 * has invalidated everything on the current server and recorded its run id, this instance does not trust its caches
 * (reads go to the source). Losing the L2 connection makes it unverified at once (and flushes L1: evictions may have
 * been missed); it is checked again every {@link #CHECK_INTERVAL} until verified. On Redis Cluster a failover keeps
 * the command connection (it talks to every node), so there the identity — the run ids of the masters
 * ({@link RedisServerIdentity}) — is checked every {@link #CHECK_INTERVAL} even while verified; a change, or a
 * topology whose identity cannot be told (a failover in progress), makes it unverified and flushes L1.
 *
 * <p>Only with the staleness guard enabled: without a pipeline vouching for the caches there is nobody to
 * verify a server. Gauge {@code commitcast_l2_server_verified} (1 while verified). Thread-safe.
 */
final class RedisIdentity {

    /** How often an unverified server is checked again. */
    static final Duration CHECK_INTERVAL = Duration.ofMillis(500);

    private static final Logger LOG = LoggerFactory.getLogger(RedisIdentity.class);

    private final RedisConnector connector;
    private final String serverKey;
    private final L1Evictions evictions;
    private final boolean enabled;
    private final Duration timeout;
    private final ScheduledExecutorService checks;
    private final boolean recheck;
    private volatile boolean verified;
    private volatile String lastProblem = "not checked yet";

    RedisIdentity(RedisConnector connector, KeySpace keySpace, L1Evictions evictions, Settings settings,
                  MeterRegistry registry) {
        this.connector = connector;
        this.serverKey = keySpace.serverKey();
        this.evictions = evictions;
        this.enabled = settings.stalenessEnabled();
        this.timeout = settings.commandTimeout().multipliedBy(4);
        Gauge.builder("commitcast.l2.server.verified", this, r -> r.verified() ? 1 : 0)
                .description("1 while the Redis server is the one the invalidator made the key space consistent on")
                .register(registry);
        if (!enabled) {
            checks = null;
            recheck = false;
            return;
        }
        recheck = !connector.onDisconnect(this::lost); // a cluster: no disconnect tells of a failover

        checks = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("redis-identity").unstarted(r));
        checks.scheduleWithFixedDelay(this::check, 0, CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether L2 may be trusted: always without the staleness guard, else once the server was verified. */
    boolean verified() {
        return !enabled || verified;
    }

    /** Why it is not verified, for {@code /health}. */
    String problem() {
        return verified() ? null : lastProblem;
    }

    private void lost() {
        if (verified) {
            verified = false;
            evictions.flushAll("l2-connection-lost");
            LOG.warn("Lost the Redis connection: caches not trusted until the server is verified again (a restarted "
                    + "or another server may hold old values)");
        }
        lastProblem = "the Redis connection was lost";
    }

    private void check() {
        if (verified && !recheck) {
            return;
        }
        RedisClusterAsyncCommands<String, String> commands = connector.commands();
        if (commands == null || !connector.isConnected()) {
            distrust("Redis is not connected");
            return;
        }
        try {
            String server = RedisServerIdentity.runId(commands).toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String recorded = commands.get(serverKey).toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (server.equals(recorded)) {
                if (!verified) {
                    verified = true;
                    lastProblem = null;
                    LOG.info("Redis {} is the one the key space was made consistent on; caches trusted when the "
                            + "watermark is fresh", server);
                }
            } else {
                distrust("Redis server " + server + " is not the one the invalidator made the key space "
                        + "consistent on (" + (recorded == null ? "none recorded yet" : recorded) + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            distrust("checking the Redis server failed: " + e.getMessage());
        }
    }

    /** Not (or no longer) verified; a verified instance flushes L1, as it may have missed evictions. */
    private void distrust(String problem) {
        lastProblem = problem;
        if (verified) {
            verified = false;
            evictions.flushAll("redis-server-changed");
            LOG.warn("Caches not trusted until the Redis server is verified again: {}", problem);
        }
    }

    void close() {
        if (checks != null) {
            checks.shutdownNow();
        }
    }
}
