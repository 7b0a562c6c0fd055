package dev.commitcast.bench;

import dev.commitcast.core.Namespace;
import dev.commitcast.core.Rules;
import dev.commitcast.devstack.DevStack;
import dev.commitcast.devstack.DevStackOptions;
import dev.commitcast.devstack.ServerKind;
import dev.commitcast.redis.RedisInvalidation;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The price of fencing namespaces (ADR-0006) on a real, local Redis that the benchmark starts (redis-server from
 * PATH): the generation bump of one hash tag (an organisation deleted), the global bump of all 16,384 slot counters
 * (truncate, fallback, flush), and a whole namespace invalidation — bump, then SCAN the key space and UNLINK — of an
 * organisation and of everything, with {@code keys} unrelated keys of another key space in Redis for the SCAN to walk
 * (nothing of the namespace exists, so each invocation does the same work). Run:
 * {@code benchmarks/jmh/run.sh NamespaceInvalidation}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class NamespaceInvalidationBenchmark {

    @Param({"100000"})
    public int keys;

    private DevStack stack;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisInvalidation invalidation;
    private Namespace organisation;
    private Namespace everything;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        stack = DevStack.start(DevStackOptions.builder().servers(ServerKind.REDIS)
                .workDir(Files.createTempDirectory("commitcast-bench-redis")).build());
        client = RedisClient.create(stack.redis().uri());
        connection = client.connect();
        RedisCommands<String, String> sync = connection.sync();
        Map<String, String> batch = new HashMap<>();
        for (int i = 0; i < keys; i++) {
            batch.put("other:v1:org:{" + (i % 1000) + "}:user:" + i, "x");
            if (batch.size() == 1000) {
                sync.mset(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            sync.mset(batch);
        }
        Rules rules = Rules.load(Path.of("examples/orgs-demo/rules.yml"));
        invalidation = new RedisInvalidation(connection.async(), rules);
        organisation = rules.namespace(List.of(rules.kind("roles"), rules.kind("user")), "42");
        everything = rules.everything();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        connection.close();
        client.shutdown();
        stack.close();
    }

    /** An organisation's namespace: one INCR of its slot's counter. */
    @Benchmark
    public Object bumpOneTag() throws Exception {
        return invalidation.bumpGenerations(organisation).toCompletableFuture().get();
    }

    /** Everything: one Lua script incrementing 16,384 counters. */
    @Benchmark
    public Object bumpAllSlots() throws Exception {
        return invalidation.bumpGenerations(everything).toCompletableFuture().get();
    }

    /** An organisation's namespace invalidated: bump, then SCAN with its patterns. */
    @Benchmark
    public Long invalidateOrganisation() throws Exception {
        return invalidation.invalidate(organisation).toCompletableFuture().get();
    }

    /** Everything invalidated: global bump, then SCAN of the key space's pattern. */
    @Benchmark
    public Long invalidateEverything() throws Exception {
        return invalidation.invalidate(everything).toCompletableFuture().get();
    }
}
