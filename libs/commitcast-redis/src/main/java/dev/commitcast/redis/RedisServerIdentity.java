package dev.commitcast.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletionStage;

/**
 * Which Redis server process a connection talks to: its {@code run_id} ({@code INFO server}), a random id Redis
 * chooses at every start. A server that restarted — and may have loaded old values and fill leases from its RDB or
 * AOF files — or another server (a failover to a replica) has another one. The key space records the run id it was
 * last made consistent on ({@link dev.commitcast.core.KeySpace#serverKey()}).
 */
public final class RedisServerIdentity {

    private RedisServerIdentity() {
    }

    /** The server's run id; fails when {@code INFO server} has none. */
    public static CompletionStage<String> runId(RedisClusterAsyncCommands<String, String> redis) {
        return redis.info("server").thenApply(RedisServerIdentity::parseRunId);
    }

    /** The {@code run_id} field of an {@code INFO server} answer. */
    static String parseRunId(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("run_id:")) {
                return line.substring("run_id:".length()).strip();
            }
        }
        throw new IllegalStateException("INFO server has no run_id: " + info.lines().limit(5).toList());
    }
}
