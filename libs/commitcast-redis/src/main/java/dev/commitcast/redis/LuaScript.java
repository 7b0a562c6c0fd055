package dev.commitcast.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script run by {@code EVALSHA}, falling back to {@code EVAL} (which also caches it server-side) when Redis
 * answers {@code NOSCRIPT}, e.g. after a restart or failover emptied its script cache. {@link #load} may be called on
 * connect so the first calls already hit the cache. Immutable and thread-safe.
 */
public final class LuaScript {

    private final String name;
    private final String source;
    private final String sha1;

    /** A script of that name and body. */
    public LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1(source);
    }

    /** Returns the name, for logs. */
    public String name() {
        return name;
    }

    /** Returns the body. */
    public String source() {
        return source;
    }

    /** Loads the script into Redis's script cache; completes with its SHA1. */
    public CompletionStage<String> load(RedisClusterAsyncCommands<String, String> redis) {
        return redis.scriptLoad(source);
    }

    /** Runs the script on the given keys and arguments. */
    public <T> CompletionStage<T> run(RedisClusterAsyncCommands<String, String> redis, ScriptOutputType type,
                                      String[] keys, String... args) {
        CompletionStage<T> bySha = redis.evalsha(sha1, type, keys, args);
        return bySha.handle((result, error) -> {
            if (error == null) {
                return CompletableFuture.completedStage(result);
            }
            if (unwrap(error) instanceof RedisNoScriptException) {
                CompletionStage<T> byBody = redis.eval(source, type, keys, args);
                return byBody;
            }
            return CompletableFuture.<T>failedStage(unwrap(error));
        }).thenCompose(stage -> stage);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static String sha1(String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
    }
}
