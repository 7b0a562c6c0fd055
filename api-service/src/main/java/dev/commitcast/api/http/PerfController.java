package dev.commitcast.api.http;

import dev.commitcast.api.perf.QueryTimers;
import dev.commitcast.client.ClientStatus;
import dev.commitcast.client.CommitcastClient;
import dev.commitcast.client.MicrometerStatsCounter;
import dev.commitcast.client.StatsCounter;
import dev.commitcast.client.StatsCounter.Bypass;
import dev.commitcast.client.StatsCounter.Fallback;
import dev.commitcast.client.StatsCounter.Tier;
import dev.commitcast.core.KeyKind;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/perf/cache}: hits, misses and hit rates per tier and key kind, fills (stored and rejected by
 * fencing), single-flight joins, busy leases, fallbacks, bypasses, L1 size and weight, L2 connection and circuit.
 * {@code GET /v1/perf/summary}: the same plus latency percentiles (milliseconds) per endpoint
 * ({@code http.server.requests}), per repository operation ({@code commitcast.db.query}) and of the eviction
 * broadcast. Reads counters only; answered on the event loop.
 */
@Controller("/v1/perf")
final class PerfController {

    private final MicrometerStatsCounter metrics;
    private final CommitcastClient client;
    private final MeterRegistry registry;

    PerfController(MicrometerStatsCounter metrics, CommitcastClient client, MeterRegistry registry) {
        this.metrics = metrics;
        this.client = client;
        this.registry = registry;
    }

    @Get("/cache")
    Map<String, Object> cache() {
        Map<String, Object> out = new LinkedHashMap<>();
        long l1Hits = 0;
        long l1Misses = 0;
        long l2Hits = 0;
        long l2Misses = 0;
        Map<String, Object> kinds = new LinkedHashMap<>();
        for (KeyKind kind : metrics.kinds()) {
            Map<String, Object> perKind = new LinkedHashMap<>();
            for (Tier tier : Tier.values()) {
                perKind.put(StatsCounter.tagValue(tier), tierStats(metrics.hits(tier, kind), metrics.misses(tier, kind),
                        metrics.fillsStored(tier, kind), metrics.fillsRejected(tier, kind)));
            }
            perKind.put("singleFlightJoins", metrics.joins(kind));
            perKind.put("leasesBusy", metrics.leasesBusy(kind));
            kinds.put(kind.name(), perKind);
            l1Hits += metrics.hits(Tier.L1, kind);
            l1Misses += metrics.misses(Tier.L1, kind);
            l2Hits += metrics.hits(Tier.L2, kind);
            l2Misses += metrics.misses(Tier.L2, kind);
        }
        long lookups = l1Hits + l1Misses > 0 ? l1Hits + l1Misses : l2Hits + l2Misses;
        out.put("hitRate", rate(l1Hits + l2Hits, lookups));
        out.put("tiers", Map.of("l1", tierStats(l1Hits, l1Misses, -1, -1), "l2", tierStats(l2Hits, l2Misses, -1, -1)));
        out.put("kinds", kinds);
        Map<String, Object> fallbacks = new LinkedHashMap<>();
        for (Fallback reason : Fallback.values()) {
            fallbacks.put(StatsCounter.tagValue(reason), metrics.fallbacks(reason));
        }
        out.put("fallbacks", fallbacks);
        Map<String, Object> bypass = new LinkedHashMap<>();
        for (Bypass reason : Bypass.values()) {
            bypass.put(StatsCounter.tagValue(reason), metrics.bypasses(reason));
        }
        out.put("bypass", bypass);
        ClientStatus state = client.status();
        out.put("l1", Map.of("size", state.l1Size(), "weightBytes", state.l1Weight(), "maxWeightBytes",
                state.l1MaxWeight()));
        out.put("l2", Map.of("connected", state.l2Connected(), "circuit", state.l2Circuit()));
        out.put("loadsInFlight", state.loadsInFlight());
        Duration age = state.staleness();
        out.put("staleness", Map.of("trusted", state.trusted(), "millis", age == null ? -1 : age.toMillis(),
                "budgetMillis", state.budget().toMillis(), "guard", state.guardEnabled()));
        return out;
    }

    @Get("/summary")
    Map<String, Object> summary() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cache", cache());
        out.put("endpoints", latencies("http.server.requests", "method", "uri"));
        out.put("repository", latencies(QueryTimers.NAME, "op", "outcome"));
        out.put("broadcastDelay", latencies("commitcast.broadcast.delay"));
        return out;
    }

    private Map<String, Object> latencies(String name, String... tagKeys) {
        Map<String, Object> out = new TreeMap<>();
        for (Timer timer : registry.find(name).timers()) {
            StringBuilder label = new StringBuilder();
            for (String key : tagKeys) {
                String value = timer.getId().getTag(key);
                label.append(label.isEmpty() ? "" : " ").append(value == null ? "-" : value);
            }
            HistogramSnapshot snapshot = timer.takeSnapshot();
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("count", snapshot.count());
            stats.put("meanMs", round(snapshot.mean(TimeUnit.MILLISECONDS)));
            for (ValueAtPercentile p : snapshot.percentileValues()) {
                double percent = p.percentile() * 100;
                String quantile = percent == Math.rint(percent) ? Long.toString((long) percent)
                        : Double.toString(percent);
                stats.put("p" + quantile + "Ms", round(p.value(TimeUnit.MILLISECONDS)));
            }
            stats.put("maxMs", round(snapshot.max(TimeUnit.MILLISECONDS)));
            out.put(label.isEmpty() ? name : label.toString(), stats);
        }
        return out;
    }

    private static Map<String, Object> tierStats(long hits, long misses, long stored, long rejected) {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("hits", hits);
        stats.put("misses", misses);
        stats.put("hitRate", rate(hits, hits + misses));
        if (stored >= 0) {
            stats.put("fills", stored);
            stats.put("fillsRejected", rejected);
        }
        return stats;
    }

    private static double rate(long part, long whole) {
        return whole == 0 ? 0.0 : round((double) part / whole);
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
