package dev.commitcast.bench;

import dev.commitcast.client.CommitcastClient;
import dev.commitcast.client.Loader;
import dev.commitcast.client.TieredCache;
import dev.commitcast.client.ValueCodec;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.KeyKind;
import dev.commitcast.core.Rules;
import dev.commitcast.devstack.DevStack;
import dev.commitcast.devstack.DevStackOptions;
import dev.commitcast.devstack.ServerKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The library's read path on an L1 hit (issue 11's constraint: overhead and allocation per hit), against a local
 * Redis the benchmark starts, with the staleness guard off (no pipeline runs here): {@code lookupL1Hit} is what the
 * demo API does per cached request (key built, {@code lookup}, completed stage), {@code getL1Hit} the synchronous
 * variant, {@code keyOnly} the key building alone, as the baseline inside the hit. Run:
 * {@code benchmarks/jmh/run.sh ClientRead -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ClientReadBenchmark {

    private static final byte[] VALUE = "{\"id\":42,\"orgId\":7,\"displayName\":\"Ada\"}"
            .getBytes(StandardCharsets.UTF_8);
    private static final Loader<byte[]> LOADER = key -> VALUE;

    private DevStack stack;
    private CommitcastClient client;
    private TieredCache<byte[]> users;
    private KeyKind user;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        stack = DevStack.start(DevStackOptions.builder().servers(ServerKind.REDIS)
                .workDir(Files.createTempDirectory("commitcast-bench-client")).build());
        Rules rules = Rules.load(Path.of("examples/orgs-demo/rules.yml"));
        client = CommitcastClient.newBuilder(rules).redis(stack.redis().uri())
                .stalenessGuard(false, Duration.ofSeconds(5)).build();
        users = client.cache("user", ValueCodec.bytes());
        user = rules.kind("user");
        users.get(user.key(7, 42), LOADER); // fills L1 (and L2); every measured call is an L1 hit
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
        stack.close();
    }

    @Benchmark
    public CacheKey keyOnly() {
        return user.key(7, 42);
    }

    @Benchmark
    public Object lookupL1Hit() {
        return users.lookup(user.key(7, 42), LOADER);
    }

    @Benchmark
    public byte[] getL1Hit() {
        return users.get(user.key(7, 42), LOADER);
    }
}
