package dev.commitcast.api.cache;

import dev.commitcast.api.config.CommitcastConfig;
import dev.commitcast.keys.CacheKey;
import dev.commitcast.keys.KeyCodec;
import dev.commitcast.keys.TtlPolicy;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
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
 * The Redis tier with fenced fills (memcache-style leases), two Lua scripts on one organisation's keys (one hash
 * tag, so Redis Cluster safe):
 * <ul>
 *   <li>{@link #lease}: if the value exists, return it; else if a lease exists, report {@link Lease.Busy}; else
 *       {@code SET lease=<random token> NX PX leaseTtl} and return the token.</li>
 *   <li>{@link #fill}: only if the lease still holds this token, {@code SET value PX ttl} and delete the lease;
 *       otherwise drop the value. An invalidation deletes value and lease, so a fill that raced with it is dropped.</li>
 * </ul>
 * Every call reports to the {@link CircuitBreaker}; while it is open, or before Redis first connected, calls fail
 * at once with {@link L2UnavailableException} without touching Redis. Thread-safe.
 */
@Singleton
final class L2Store {

    private static final Logger LOG = LoggerFactory.getLogger(L2Store.class);

    static final LuaScript LEASE = new LuaScript("lease", """
            local v = redis.call('GET', KEYS[1])
            if v then return {1, v} end
            if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {3} end
            return {2}
            """);
    static final LuaScript FILL = new LuaScript("fill", """
            if redis.call('GET', KEYS[2]) == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
              redis.call('DEL', KEYS[2])
              return 1
            end
            return 0
            """);

    /** The outcome of {@link #lease}. */
    sealed interface Lease {
        /** The value was in Redis. */
        record Hit(CachedValue value) implements Lease {
        }

        /** Another reader holds the fill lease. */
        record Busy() implements Lease {
        }

        /** This reader holds the lease and may fill with the token. */
        record Granted(String token) implements Lease {
        }
    }

    private final RedisConnector connector;
    private final KeyCodec keys;
    private final TtlPolicy ttl;
    private final CircuitBreaker breaker;
    private final String leaseTtlMillis;

    L2Store(RedisConnector connector, KeyCodec keys, TtlPolicy ttl, CommitcastConfig config, Clock clock,
            MeterRegistry registry) {
        this.connector = connector;
        this.keys = keys;
        this.ttl = ttl;
        this.breaker = new CircuitBreaker(config.redis().breakerFailureThreshold(), config.redis().breakerCoolDown(),
                clock);
        this.leaseTtlMillis = Long.toString(config.cache().l2().leaseTtl().toMillis());
        Gauge.builder("commitcast.l2.circuit.open", breaker, b -> b.state() == CircuitBreaker.State.CLOSED ? 0 : 1)
                .description("1 while the L2 circuit breaker is open or half-open").register(registry);
        connector.onFirstConnect(this::loadScripts);
    }

    /** Takes the fill lease of the key, or returns its value. */
    CompletionStage<Lease> lease(CacheKey key) {
        RedisAsyncCommands<String, String> redis = admit();
        if (redis == null) {
            return unavailable();
        }
        String token = newToken();
        CompletionStage<List<Object>> reply = LEASE.run(redis, ScriptOutputType.MULTI,
                new String[] {keys.render(key), keys.leaseKey(key)}, token, leaseTtlMillis);
        return report(reply).thenApply(result -> switch (((Long) result.get(0)).intValue()) {
            case 1 -> new Lease.Hit(ValueCodec.decode(((String) result.get(1)).getBytes(StandardCharsets.ISO_8859_1)));
            case 2 -> new Lease.Busy();
            default -> new Lease.Granted(token);
        });
    }

    /** Stores the value if the lease still holds the token; completes with whether it was stored. */
    CompletionStage<Boolean> fill(CacheKey key, String token, CachedValue value) {
        RedisAsyncCommands<String, String> redis = admit();
        if (redis == null) {
            return unavailable();
        }
        Duration life = value.found() ? ttl.l2Ttl(key.kind(), ThreadLocalRandom.current())
                : ttl.negativeTtl(ThreadLocalRandom.current());
        String encoded = new String(ValueCodec.encode(value), StandardCharsets.ISO_8859_1);
        CompletionStage<Long> reply = FILL.run(redis, ScriptOutputType.INTEGER,
                new String[] {keys.render(key), keys.leaseKey(key)}, token, encoded, Long.toString(life.toMillis()));
        return report(reply).thenApply(stored -> stored == 1L);
    }

    /**
     * Deletes the key's value, not its lease: for a value that cannot be decoded, so the next lease refills it.
     * Deleting is an invalidation, which is always safe: at worst a good value written meanwhile is refilled again.
     */
    CompletionStage<Void> discard(CacheKey key) {
        RedisAsyncCommands<String, String> redis = admit();
        if (redis == null) {
            return unavailable();
        }
        return report(redis.unlink(keys.render(key))).thenApply(deleted -> null);
    }

    /** Returns the circuit breaker guarding these calls. */
    CircuitBreaker breaker() {
        return breaker;
    }

    /** Returns whether the shared connection is open. */
    boolean connected() {
        return connector.isConnected();
    }

    private RedisAsyncCommands<String, String> admit() {
        RedisAsyncCommands<String, String> redis = connector.commands();
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

    private void loadScripts(RedisAsyncCommands<String, String> redis) {
        for (LuaScript script : List.of(LEASE, FILL)) {
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
