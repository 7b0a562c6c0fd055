package dev.commitcast.client;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.KeySpace;
import dev.commitcast.redis.FillProtocol;
import dev.commitcast.redis.LuaScript;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Redis tier with fenced fills: {@code commitcast-redis}'s {@link FillProtocol} (a lease per value that records
 * the slot's fill generation; a fill lands only while the lease and the generation are unchanged, so neither a key
 * invalidation nor a namespace invalidation that began after the lease can be overwritten by an older value):
 * <ul>
 *   <li>{@link #lease}: the value, or {@link Lease.Busy} while another reader holds the lease, or a granted lease
 *       with a random token;</li>
 *   <li>{@link #fill}: stores the value with the kind's jittered TTL if the lease still holds; else drops it.</li>
 * </ul>
 * Every call reports to the {@link CircuitBreaker}; while it is open, or before Redis first connected, calls fail
 * at once with {@link L2UnavailableException} without touching Redis. Thread-safe.
 */
final class L2Store {

    private static final Logger LOG = LoggerFactory.getLogger(L2Store.class);


    /** The outcome of {@link #lease}. */
    sealed interface Lease {
        /** The value was in Redis: its {@link ValueEnvelope} bytes, not decoded yet. */
        record Hit(byte[] envelope) implements Lease {
        }

        /** Another reader holds the fill lease. */
        record Busy() implements Lease {
        }

        /** This reader holds the lease and may fill with the token. */
        record Granted(String token) implements Lease {
        }
    }

    private final RedisConnector connector;
    private final KeySpace keySpace;
    private final CircuitBreaker breaker;
    private final String leaseTtlMillis;

    L2Store(RedisConnector connector, KeySpace keySpace, Settings settings, Clock clock, MeterRegistry registry) {
        this.connector = connector;
        this.keySpace = keySpace;
        this.breaker = new CircuitBreaker(settings.breakerFailureThreshold(), settings.breakerCoolDown(), clock);
        this.leaseTtlMillis = Long.toString(settings.leaseTtl().toMillis());
        Gauge.builder("commitcast.l2.circuit.open", breaker, b -> b.state() == CircuitBreaker.State.CLOSED ? 0 : 1)
                .description("1 while the L2 circuit breaker is open or half-open").register(registry);
        connector.onFirstConnect(this::loadScripts);
    }

    /** Takes the fill lease of the key, or returns its value. */
    CompletionStage<Lease> lease(CacheKey key) {
        RedisClusterAsyncCommands<String, String> redis = admit();
        if (redis == null) {
            return unavailable();
        }
        String token = newToken();
        CompletionStage<List<Object>> reply = FillProtocol.LEASE.run(redis, ScriptOutputType.MULTI,
                FillProtocol.keys(keySpace, key), token, leaseTtlMillis);
        return report(reply).thenApply(result -> {
            long outcome = (Long) result.get(0);
            if (outcome == FillProtocol.HIT) {
                return new Lease.Hit(((String) result.get(1)).getBytes(StandardCharsets.ISO_8859_1));
            }
            return outcome == FillProtocol.BUSY ? new Lease.Busy() : new Lease.Granted(token);
        });
    }

    /**
     * Stores an encoded value (an {@link ValueEnvelope}) if the lease still holds the token, for the kind's jittered
     * TTL ({@code found}) or negative TTL; completes with whether it was stored.
     */
    CompletionStage<Boolean> fill(CacheKey key, String token, byte[] envelope, boolean found) {
        RedisClusterAsyncCommands<String, String> redis = admit();
        if (redis == null) {
            return unavailable();
        }
        Duration life = found ? key.kind().l2Ttl(ThreadLocalRandom.current())
                : key.kind().negativeL2Ttl(ThreadLocalRandom.current());
        String encoded = new String(envelope, StandardCharsets.ISO_8859_1);
        CompletionStage<Long> reply = FillProtocol.FILL.run(redis, ScriptOutputType.INTEGER,
                FillProtocol.keys(keySpace, key), token, encoded, Long.toString(life.toMillis()));
        return report(reply).thenApply(stored -> stored == 1L);
    }

    /**
     * Deletes the key's value, not its lease: for a value that cannot be decoded, so the next lease refills it.
     * Deleting is an invalidation, which is always safe: at worst a good value written meanwhile is refilled again.
     */
    CompletionStage<Void> discard(CacheKey key) {
        RedisClusterAsyncCommands<String, String> redis = admit();
        if (redis == null) {
            return unavailable();
        }
        return report(redis.unlink(keySpace.valueKey(key))).thenApply(deleted -> null);
    }

    /** Returns the circuit breaker guarding these calls. */
    CircuitBreaker breaker() {
        return breaker;
    }

    /** Returns whether the shared connection is open. */
    boolean connected() {
        return connector.isConnected();
    }

    private RedisClusterAsyncCommands<String, String> admit() {
        RedisClusterAsyncCommands<String, String> redis = connector.commands();
        return redis != null && breaker.tryAcquire() ? redis : null;
    }

    private <T> CompletionStage<T> report(CompletionStage<T> reply) {
        return reply.whenComplete((result, error) -> {
            if (error == null) {
                breaker.onSuccess();
            } else {
                breaker.onFailure();
            }
        });
    }

    private <T> CompletionStage<T> unavailable() {
        String reason = connector.commands() == null ? "Redis not connected yet" : "L2 circuit open";
        return CompletableFuture.failedStage(new L2UnavailableException(reason));
    }

    private void loadScripts(RedisClusterAsyncCommands<String, String> redis) {
        for (LuaScript script : FillProtocol.SCRIPTS) {
            script.load(redis).whenComplete((sha, error) -> {
                if (error != null) {
                    LOG.warn("Loading Lua script '{}' failed: {}; the first call will send it with EVAL",
                            script.name(), error.getMessage());
                }
            });
        }
    }

    private static String newToken() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
