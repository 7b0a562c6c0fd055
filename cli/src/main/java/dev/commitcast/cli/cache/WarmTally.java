package dev.commitcast.cli.cache;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What warming one api-service instance got back: responses per {@code X-Cache} value (MISS: loaded from Postgres and
 * filled; L2: found in Redis, filled L1; L1: already in L1; BYPASS: caches ignored), 404s, errors. Not thread-safe;
 * callers synchronize.
 */
final class WarmTally {
    static final String[] SOURCES = {"MISS", "L2", "L1", "BYPASS"};

    private final Map<String, Long> bySource = new LinkedHashMap<>();
    long requests;
    long notFound;
    long errors;
    String lastError;
    String unreachable;

    WarmTally() {
        for (String source : SOURCES) {
            bySource.put(source, 0L);
        }
    }

    void answered(int status, String xCache) {
        requests++;
        if (status == 404) {
            notFound++;
        } else if (status != 200) {
            failed("HTTP " + status);
            return;
        }
        bySource.merge(xCache == null ? "none" : xCache, 1L, Long::sum);
    }

    void failed(String error) {
        errors++;
        lastError = error;
    }

    long count(String source) {
        return bySource.getOrDefault(source, 0L);
    }

    void addTo(WarmTally total) {
        bySource.forEach((source, n) -> total.bySource.merge(source, n, Long::sum));
        total.requests += requests;
        total.notFound += notFound;
        total.errors += errors;
    }

    boolean hadProblems() {
        return errors > 0 || unreachable != null;
    }

    /** E.g. {@code MISS 69  L2 0  L1 0  BYPASS 0}. */
    String sources() {
        StringBuilder sb = new StringBuilder();
        bySource.forEach((source, n) -> sb.append(sb.isEmpty() ? "" : "  ").append(source).append(' ').append(n));
        return sb.toString();
    }
}
