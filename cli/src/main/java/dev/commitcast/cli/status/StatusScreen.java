package dev.commitcast.cli.status;

import java.util.Locale;
import java.util.Map;

/** Renders a {@link StatusSnapshot} as one terminal screen of plain text. Stateless. */
final class StatusScreen {
    private StatusScreen() {
    }

    static String render(StatusSnapshot s) {
        StringBuilder out = new StringBuilder();
        line(out, "Commitcast status at %s   %s", s.time(), s.healthy() ? "HEALTHY" : "DEGRADED: " + problem(s));
        services(out, s);
        rules(out, s.rules());
        lag(out, s);
        staleness(out, s.staleness());
        latency(out, s.invalidationLatency());
        cache(out, s.cache());
        continuity(out, s.continuity());
        dlq(out, s.dlq());
        if (!s.notes().isEmpty()) {
            line(out, "%nNotes");
            s.notes().forEach(note -> line(out, "  - %s", note));
        }
        return out.toString();
    }

    private static void services(StringBuilder out, StatusSnapshot s) {
        line(out, "%nServices");
        if (s.services().isEmpty()) {
            line(out, "  (none known)");
        }
        for (StatusSnapshot.Service service : s.services()) {
            String restarts = service.restarts() == null || service.restarts() == 0 ? ""
                    : " (restarted " + service.restarts() + "x)";
            line(out, "  %-15s %-28s %-4s %s%s", service.name(), service.url(), service.status(),
                    service.detail() == null ? "" : service.detail(), restarts);
            if (service.gaveUp() != null) {
                line(out, "  %-15s gave up: %s", "", service.gaveUp());
            }
        }
    }

    private static String problem(StatusSnapshot s) {
        boolean down = s.services().stream().anyMatch(service -> !StatusSnapshot.UP.equals(service.status()));
        boolean rulesDiffer = Boolean.FALSE.equals(s.rules().agree());
        return down && rulesDiffer ? "a service is DOWN, processes run different rules"
                : down ? "a service is DOWN" : "processes run different rules";
    }

    private static void rules(StringBuilder out, StatusSnapshot.Rules rules) {
        String verdict = rules.agree() == null ? "(no process reported its rules)"
                : rules.agree() ? "every process runs the same rules"
                : "DIFFER: caches are bypassed until every process runs the same rules file (commitcast.rules)";
        line(out, "%nRules   %s", verdict);
        for (StatusSnapshot.ProcessRules process : rules.processes()) {
            line(out, "  %-15s %-16s %s", process.name(), process.fingerprint() == null ? "-" : process.fingerprint(),
                    process.broadcastsDiffer() ? "receives evictions published under other rules" : "");
        }
    }

    private static void lag(StringBuilder out, StatusSnapshot s) {
        line(out, "%nConsumer lag (invalidator)");
        if (s.consumerLag().isEmpty()) {
            line(out, "  (no partitions reported)");
        } else {
            line(out, "  %-40s %9s %10s %10s", "topic", "partition", "records", "seconds");
            for (StatusSnapshot.PartitionLag lag : s.consumerLag()) {
                line(out, "  %-40s %9d %10s %10s", lag.topic(), lag.partition(), count(lag.records()),
                        number(lag.seconds(), "%.3f"));
            }
        }
        GroupCoverage group = s.consumerGroup();
        if (group != null && group.unowned() != null && group.unowned() > 0) {
            line(out, "  %d of %d partitions have no owner: nothing consumes them while the consumer group rebalances"
                    + " (or while its members cannot reach Kafka)", group.unowned(), group.total());
        }
    }

    private static void staleness(StringBuilder out, StatusSnapshot.Staleness staleness) {
        line(out, "%nStaleness   max %s", duration(staleness.maxSeconds()));
        for (StatusSnapshot.InstanceStaleness instance : staleness.apiInstances()) {
            line(out, "  api-service %-28s %s", instance.url(), duration(instance.seconds()));
        }
        StatusSnapshot.Watermark w = staleness.watermark();
        if (w != null) {
            line(out, "  watermark %-30s %s", w.key(), w.lsn() == null ? "not set yet"
                    : "lsn " + w.lsn() + ", committed " + w.commitTime() + ", age " + duration(w.ageSeconds()));
        }
        if (staleness.cdcSourceLagSeconds() != null) {
            line(out, "  cdc-connector source lag                 %s", duration(staleness.cdcSourceLagSeconds()));
        }
    }

    private static void latency(StringBuilder out, StatusSnapshot.InvalidationLatency latency) {
        line(out, "%nInvalidation latency from the Postgres commit   %10s %10s %10s   %s", "p50", "p99", "count",
                "last interval: p50 p99 count");
        quantiles(out, "to decoded (cdc-connector)", latency.commitToDecoded());
        quantiles(out, "to acknowledged by Kafka (cdc-connector)", latency.commitToAck());
        quantiles(out, "to consumed (invalidator)", latency.commitToConsumed());
        quantiles(out, "to Redis delete", latency.commitToDelete());
        quantiles(out, "to L1 broadcast", latency.commitToBroadcast());
        if (!latency.broadcastToReceived().isEmpty()) {
            line(out, "  from the L1 broadcast");
            for (StatusSnapshot.InstanceQuantiles instance : latency.broadcastToReceived()) {
                quantiles(out, "  to received by " + instance.url(), instance.quantiles());
            }
        }
    }

    private static void quantiles(StringBuilder out, String label, StatusSnapshot.Quantiles q) {
        if (q == null) {
            line(out, "  %-45s %10s", label, "-");
            return;
        }
        String recent = q.recentCount() == null ? "" : duration(q.recentP50Seconds()) + " " + duration(q.recentP99Seconds())
                + " " + count(q.recentCount());
        line(out, "  %-45s %10s %10s %10s   %s", label, duration(q.p50Seconds()), duration(q.p99Seconds()),
                count(q.count()), recent);
    }

    private static void cache(StringBuilder out, StatusSnapshot.Cache cache) {
        line(out, "%nCache hit rate %s (L1 + L2 hits / lookups, all api-service instances)", percent(cache.hitRate()));
        line(out, "  %-18s %12s %12s %8s %12s %12s %8s", "cache", "L1 hits", "L1 misses", "L1 rate", "L2 hits",
                "L2 misses", "L2 rate");
        tierRow(out, "all", cache.tiers());
        cache.kinds().forEach((kind, tiers) -> tierRow(out, kind, tiers));
        for (StatusSnapshot.InstanceCache instance : cache.instances()) {
            line(out, "  %-40s hit rate %s", instance.url(), percent(instance.hitRate()));
        }
        line(out, "  fallbacks %s   bypass %s", counts(cache.fallbacks()), counts(cache.bypass()));
    }

    private static void tierRow(StringBuilder out, String label, Map<String, StatusSnapshot.Tier> tiers) {
        StatusSnapshot.Tier l1 = tiers.get("l1");
        StatusSnapshot.Tier l2 = tiers.get("l2");
        line(out, "  %-18s %12s %12s %8s %12s %12s %8s", label, l1 == null ? "-" : l1.hits(),
                l1 == null ? "-" : l1.misses(), percent(l1 == null ? null : l1.hitRate()), l2 == null ? "-" : l2.hits(),
                l2 == null ? "-" : l2.misses(), percent(l2 == null ? null : l2.hitRate()));
    }

    private static void continuity(StringBuilder out, StatusSnapshot.Continuity c) {
        line(out, "%nContinuity (since each process started)");
        line(out, "  connector continuity resets     %s", c.connectorResets() == null ? "?"
                : c.connectorResets().isEmpty() ? "none" : reasons(c.connectorResets()));
        line(out, "  invalidator resets acted on     %s   full invalidations %s", count(c.invalidatorResets()),
                c.fullInvalidations() == null ? "?" : c.fullInvalidations().isEmpty() ? "none"
                        : reasons(c.fullInvalidations()));
    }

    private static String reasons(Map<String, Double> byReason) {
        StringBuilder sb = new StringBuilder();
        byReason.forEach((reason, n) -> sb.append(sb.isEmpty() ? "" : ", ").append(reason).append(' ')
                .append(count(n)));
        return sb.toString();
    }

    private static void dlq(StringBuilder out, StatusSnapshot.Dlq dlq) {
        line(out, "%nDLQ %s: %s in the topic, %s dead-lettered since the invalidator started", dlq.topic(),
                dlq.records() == null ? "?" : dlq.records() + " records", count(dlq.deadLetteredTotal()));
    }

    private static String counts(Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        counts.forEach((name, n) -> sb.append(sb.isEmpty() ? "" : ", ").append(name).append(' ').append(n));
        return sb.toString();
    }

    static String duration(Double seconds) {
        if (seconds == null) {
            return "-";
        }
        return seconds < 1 ? String.format(Locale.ROOT, "%.1f ms", seconds * 1000)
                : String.format(Locale.ROOT, "%.2f s", seconds);
    }

    static String percent(Double rate) {
        return rate == null ? "-" : String.format(Locale.ROOT, "%.1f %%", rate * 100);
    }

    private static String count(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.0f", value);
    }

    private static String number(Double value, String format) {
        return value == null ? "-" : String.format(Locale.ROOT, format, value);
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }
}
