package dev.commitcast.bench;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.KeyKind;
import dev.commitcast.core.Rules;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Building a cache key from a template — done on every read, L1 hits included — against the string concatenation the
 * compiled-in demo key codec did before rules were data ({@link #handWrittenConcatenation}, the baseline), plus a
 * composite uuid+text key of the catalog and parsing a broadcast key path. Run: {@code benchmarks/jmh/run.sh
 * KeyBuilding -prof gc} (ops/s and bytes allocated per key).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class KeyBuildingBenchmark {

    private KeyKind user;
    private KeyKind price;
    private Rules demo;
    private long org;
    private long id;
    private UUID product;
    private String path;
    private final String orgPrefix = "cc:v1:org:{";

    @Setup
    public void setUp() {
        demo = Rules.load(Path.of("examples/orgs-demo/rules.yml"));
        Rules catalog = Rules.load(Path.of("examples/catalog/rules.yml"));
        user = demo.kind("user");
        price = catalog.kind("price");
        org = 42;
        id = 9_001;
        product = UUID.fromString("6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f");
        path = user.key(org, id).path();
    }

    /** The L1-hit path of the demo: {@code org:{42}:user:9001} from two longs, no boxing. */
    @Benchmark
    public CacheKey templateTwoLongs() {
        return user.key(org, id);
    }

    /** The generic builder (what @Cacheable parameters use): boxed values. */
    @Benchmark
    public CacheKey templateBoxed() {
        return user.key((Object) org, (Object) id);
    }

    /** A composite uuid + text key of the catalog. */
    @Benchmark
    public CacheKey templateUuidAndText() {
        return price.key(product, "EUR");
    }

    /** Parsing a key path of a broadcast back into a key. */
    @Benchmark
    public CacheKey parsePath() {
        return demo.parseKey(path);
    }

    /** Baseline: the concatenation the old compiled-in KeyCodec rendered a user key with. */
    @Benchmark
    public String handWrittenConcatenation() {
        return orgPrefix + org + "}:" + "user:" + id;
    }
}
