package dev.commitcast.bench;

import dev.commitcast.core.Invalidation;
import dev.commitcast.core.Operation;
import dev.commitcast.core.RowChange;
import dev.commitcast.core.Rules;
import dev.commitcast.core.SourcePosition;
import dev.commitcast.events.RecordDecision;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Evaluating the rules for one change — done for every change event by the invalidator — as events per second on one
 * core: a users UPDATE (before and after image, four keys), a catalog product UPDATE whose only change is an ignored
 * column, and the whole per-record decision from Debezium JSON bytes (decode + evaluate). Run:
 * {@code benchmarks/jmh/run.sh RuleEvaluation -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RuleEvaluationBenchmark {

    private Rules demo;
    private Rules catalog;
    private RowChange userMoved;
    private RowChange ignoredOnly;
    private RecordDecision decision;
    private byte[] eventJson;
    private final RecordHeaders headers = new RecordHeaders();

    @Setup
    public void setUp() {
        demo = Rules.load(Path.of("examples/orgs-demo/rules.yml"));
        catalog = Rules.load(Path.of("examples/catalog/rules.yml"));
        SourcePosition at = new SourcePosition(123_456, Instant.parse("2026-12-04T10:00:00Z"), 77);
        userMoved = new RowChange("public", "users", Operation.UPDATE,
                row("id", 9001L, "org_id", 42L, "email", "a@x.io", "display_name", "Ada", "role_id", 3L),
                row("id", 9001L, "org_id", 43L, "email", "a@x.io", "display_name", "Ada", "role_id", 3L), at);
        ignoredOnly = new RowChange("catalog", "products", Operation.UPDATE,
                row("id", "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f", "sku", "AB-1", "name", "Lamp", "category_id", null,
                        "updated_at", "2026-01-01T00:00:00Z"),
                row("id", "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f", "sku", "AB-1", "name", "Lamp", "category_id", null,
                        "updated_at", "2026-01-02T00:00:00Z"), at);
        decision = new RecordDecision(demo);
        eventJson = ("{\"before\":{\"id\":9001,\"org_id\":42,\"email\":\"a@x.io\",\"display_name\":\"Ada\","
                + "\"role_id\":3,\"status\":\"active\"},\"after\":{\"id\":9001,\"org_id\":43,\"email\":\"a@x.io\","
                + "\"display_name\":\"Ada\",\"role_id\":3,\"status\":\"active\"},\"source\":{\"version\":\"3.6.3.Final\","
                + "\"connector\":\"postgresql\",\"name\":\"commitcast\",\"ts_ms\":1796378400000,\"db\":\"commitcast\","
                + "\"ts_us\":1796378400000123,\"schema\":\"public\",\"table\":\"users\",\"txId\":777,"
                + "\"lsn\":123456},\"op\":\"u\",\"ts_ms\":1796378400003}").getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> row(Object... columnsAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            row.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return row;
    }

    /** A user moving between organisations: before and after image, four keys. */
    @Benchmark
    public Invalidation userMovedBetweenOrganisations() {
        return demo.evaluate(userMoved);
    }

    /** An update of an ignored column only: nothing to invalidate. */
    @Benchmark
    public Invalidation ignoredColumnOnly() {
        return catalog.evaluate(ignoredOnly);
    }

    /** The invalidator's per-record work before Redis: Debezium JSON bytes to an invalidation. */
    @Benchmark
    public RecordDecision.Outcome decodeAndEvaluateDebeziumJson() {
        return decision.decide(headers, eventJson, 0);
    }
}
