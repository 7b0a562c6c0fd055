package dev.commitcast.cli.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads api-service's {@code GET /v1/perf/cache} answers (see its {@code PerfController}: {@code tiers.l1/l2},
 * {@code kinds.<kind>.l1/l2} with {@code hits} and {@code misses}, {@code fallbacks}, {@code bypass}) and sums them
 * over the instances. The overall hit rate is computed as the controller does: (L1 + L2 hits) / L1 lookups (L2 only
 * sees L1's misses), or / L2 lookups when L1 saw none. Not thread-safe.
 */
final class CacheStatsReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TIERS = List.of("l1", "l2");

    private final Map<String, long[]> tiers = new LinkedHashMap<>();
    private final Map<String, Map<String, long[]>> kinds = new TreeMap<>();
    private final Map<String, Long> fallbacks = new TreeMap<>();
    private final Map<String, Long> bypass = new TreeMap<>();
    private final List<StatusSnapshot.InstanceCache> instances = new ArrayList<>();

    /**
     * Adds one instance's answer.
     *
     * @throws IllegalArgumentException when the body is not the expected JSON
     */
    void add(String url, String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("/v1/perf/cache of " + url + " is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.path("tiers").isObject()) {
            throw new IllegalArgumentException("/v1/perf/cache of " + url + " has no 'tiers' object");
        }
        Map<String, StatusSnapshot.Tier> instanceTiers = new LinkedHashMap<>();
        for (String tier : TIERS) {
            long[] counts = counts(root.path("tiers").path(tier));
            add(tiers.computeIfAbsent(tier, t -> new long[2]), counts);
            instanceTiers.put(tier, tier(counts));
        }
        for (Map.Entry<String, JsonNode> kind : root.path("kinds").properties()) {
            Map<String, long[]> perTier = kinds.computeIfAbsent(kind.getKey(), k -> new LinkedHashMap<>());
            for (String tier : TIERS) {
                add(perTier.computeIfAbsent(tier, t -> new long[2]), counts(kind.getValue().path(tier)));
            }
        }
        Map<String, Long> instanceFallbacks = longs(root.path("fallbacks"));
        instanceFallbacks.forEach((reason, n) -> fallbacks.merge(reason, n, Long::sum));
        longs(root.path("bypass")).forEach((reason, n) -> bypass.merge(reason, n, Long::sum));
        long[] l1 = counts(root.path("tiers").path("l1"));
        long[] l2 = counts(root.path("tiers").path("l2"));
        instances.add(new StatusSnapshot.InstanceCache(url, overall(l1, l2), instanceTiers, instanceFallbacks));
    }

    StatusSnapshot.Cache result() {
        Map<String, StatusSnapshot.Tier> tierStats = new LinkedHashMap<>();
        tiers.forEach((tier, counts) -> tierStats.put(tier, tier(counts)));
        Map<String, Map<String, StatusSnapshot.Tier>> kindStats = new LinkedHashMap<>();
        kinds.forEach((kind, perTier) -> {
            Map<String, StatusSnapshot.Tier> stats = new LinkedHashMap<>();
            perTier.forEach((tier, counts) -> stats.put(tier, tier(counts)));
            kindStats.put(kind, stats);
        });
        Double hitRate = instances.isEmpty() ? null
                : overall(tiers.getOrDefault("l1", new long[2]), tiers.getOrDefault("l2", new long[2]));
        return new StatusSnapshot.Cache(hitRate, tierStats, kindStats, fallbacks, bypass, instances);
    }

    private static Double overall(long[] l1, long[] l2) {
        long lookups = l1[0] + l1[1] > 0 ? l1[0] + l1[1] : l2[0] + l2[1];
        return lookups == 0 ? null : (double) (l1[0] + l2[0]) / lookups;
    }

    private static StatusSnapshot.Tier tier(long[] counts) {
        long lookups = counts[0] + counts[1];
        return new StatusSnapshot.Tier(counts[0], counts[1], lookups == 0 ? null : (double) counts[0] / lookups);
    }

    private static long[] counts(JsonNode tier) {
        return new long[] {tier.path("hits").asLong(0), tier.path("misses").asLong(0)};
    }

    private static void add(long[] sum, long[] counts) {
        sum[0] += counts[0];
        sum[1] += counts[1];
    }

    private static Map<String, Long> longs(JsonNode node) {
        Map<String, Long> values = new TreeMap<>();
        node.properties().forEach(e -> values.put(e.getKey(), e.getValue().asLong(0)));
        return values;
    }
}
