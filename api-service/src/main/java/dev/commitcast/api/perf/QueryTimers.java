package dev.commitcast.api.perf;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Latency of every repository operation: {@code commitcast_db_query_seconds{op,outcome}} with client-side p50, p95
 * and p99. Operation names are a small fixed set chosen by the callers ({@code user}, {@code user_page},
 * {@code create_user}, ...). Thread-safe.
 */
@Singleton
public final class QueryTimers {

    /** The metric name. */
    public static final String NAME = "commitcast.db.query";

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

    /** Creates the timers lazily in the given registry. */
    public QueryTimers(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Runs one repository operation and records its latency, tagged with whether it threw. */
    public <T> T time(String op, Supplier<T> call) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            T result = call.get();
            outcome = "ok";
            return result;
        } finally {
            timer(op, outcome).record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private Timer timer(String op, String outcome) {
        return timers.computeIfAbsent(op + '|' + outcome, k -> Timer.builder(NAME)
                .description("Latency of repository operations")
                .tag("op", op).tag("outcome", outcome)
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(registry));
    }
}
