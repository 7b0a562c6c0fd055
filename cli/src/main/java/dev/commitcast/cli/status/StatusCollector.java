package dev.commitcast.cli.status;

import dev.commitcast.cli.platform.ServiceKind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;

/**
 * Collects a {@link StatusSnapshot}: asks every service for {@code /health} and {@code /metrics} (api-services also
 * for {@code /v1/perf/cache}), all at once with {@link #HTTP_TIMEOUT}, and reads the watermark from Redis and the
 * DLQ topic's size from Kafka when those are known. Whatever cannot be read becomes DOWN, {@code null} and a note;
 * collecting itself never fails. Remembers the latency histograms of the previous call for the "recent" quantiles
 * of {@code --watch}. Not thread-safe; close it to release the Redis and Kafka clients.
 */
public final class StatusCollector implements AutoCloseable {
    static final Duration HTTP_TIMEOUT = Duration.ofSeconds(2);
    /** Each api-service's histogram of L1 broadcast sent to received (the stages before it: {@link PipelineStage}). */
    static final String BROADCAST_TO_RECEIVED = "commitcast_broadcast_delay_seconds";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StatusTargets targets;
    private final HttpProbe http;
    private final Clock clock;
    private final RedisWatermarkReader watermark;
    private final DlqTopicSize dlq;
    private final Map<String, List<HistogramQuantile.Bucket>> previous = new LinkedHashMap<>();

    public StatusCollector(StatusTargets targets, Clock clock) {
        this.targets = targets;
        this.clock = clock;
        this.http = new HttpProbe(HttpProbe.client(HTTP_TIMEOUT), HTTP_TIMEOUT);
        this.watermark = targets.redisUri() == null ? null
                : new RedisWatermarkReader(targets.redisUri(), targets.keySpace(), clock);
        this.dlq = targets.kafkaBootstrap() == null ? null : new DlqTopicSize(targets.kafkaBootstrap(), targets.dlqTopic());
    }

    /** One probe of a service: its health, metrics and (api-service) cache statistics, in flight. */
    private record Probe(String name, ServiceKind kind, URI url, CompletableFuture<HttpProbe.Response> health,
                         CompletableFuture<HttpProbe.Response> metrics, CompletableFuture<HttpProbe.Response> perf) {
    }

    public StatusSnapshot collect() {
        List<Probe> probes = startProbes();
        List<String> notes = new ArrayList<>();
        StatusSnapshot.Watermark stored = readWatermark(notes);
        Long dlqRecords = readDlq(notes);

        List<StatusSnapshot.Service> services = new ArrayList<>();
        Map<Probe, PrometheusText> metrics = new LinkedHashMap<>();
        CacheStatsReader cache = new CacheStatsReader();
        for (Probe probe : probes) {
            services.add(service(probe, targets.supervision().get(probe.name())));
            PrometheusText parsed = metrics(probe, notes);
            if (parsed != null) {
                metrics.put(probe, parsed);
            }
            if (probe.perf() != null) {
                perf(probe, cache, notes);
            }
        }
        List<PrometheusText> invalidators = instancesOf(metrics, ServiceKind.INVALIDATOR);
        PrometheusText invalidator = merged(invalidators);
        PrometheusText cdc = merged(instancesOf(metrics, ServiceKind.CDC_CONNECTOR));
        StatusSnapshot.Rules rules = rules(probes, metrics);
        boolean healthy = services.stream().allMatch(s -> StatusSnapshot.UP.equals(s.status()))
                && !Boolean.FALSE.equals(rules.agree());
        return new StatusSnapshot(clock.instant().toString(), healthy, services, rules, lag(invalidator),
                invalidators.isEmpty() ? null : GroupCoverage.of(invalidators),
                staleness(metrics, stored, cdc), latency(cdc, invalidator, metrics), cache.result(), continuity(cdc, invalidator),
                new StatusSnapshot.Dlq(targets.dlqTopic(), dlqRecords,
                        invalidator == null ? null : nullIfNaN(invalidator.sum("commitcast_invalidator_dlq_records_total"))),
                notes);
    }

    private List<Probe> startProbes() {
        List<Probe> probes = new ArrayList<>();
        int instance = 0;
        for (URI api : targets.apis()) {
            instance++;
            probes.add(new Probe(ServiceKind.API_SERVICE.instanceName(instance), ServiceKind.API_SERVICE, api,
                    http.get(api, "/health"), http.get(api, "/metrics"), http.get(api, "/v1/perf/cache")));
        }
        instance = 0;
        for (URI invalidator : targets.invalidators()) {
            instance++;
            probes.add(new Probe(ServiceKind.INVALIDATOR.instanceName(instance), ServiceKind.INVALIDATOR, invalidator,
                    http.get(invalidator, "/health"), http.get(invalidator, "/metrics"), null));
        }
        if (targets.cdc() != null) {
            URI cdc = targets.cdc();
            probes.add(new Probe(ServiceKind.CDC_CONNECTOR.instanceName(1), ServiceKind.CDC_CONNECTOR, cdc,
                    http.get(cdc, "/health"), http.get(cdc, "/metrics"), null));
        }
        return probes;
    }

    private static StatusSnapshot.Service service(Probe probe, Map<String, String> supervised) {
        HttpProbe.Response health = probe.health().join();
        String status = health.ok() ? StatusSnapshot.UP : StatusSnapshot.DOWN;
        String detail = health.ok() ? null : health.describe() + downComponents(health.body());
        Integer restarts = supervised == null ? null : Integer.valueOf(supervised.getOrDefault("restarts", "0"));
        return new StatusSnapshot.Service(probe.name(), probe.kind().module(), probe.url().toString(), status, detail,
                restarts, supervised == null ? null : supervised.get("gave-up"));
    }

    /** E.g. {@code : invalidator DOWN} from Micronaut's health JSON, or nothing. */
    private static String downComponents(String body) {
        try {
            JsonNode root = body == null || body.isBlank() ? null : JSON.readTree(body);
            if (root == null) {
                return "";
            }
            List<String> down = new ArrayList<>();
            root.path("details").properties().forEach(component -> {
                String status = component.getValue().path("status").asText("");
                if (!status.isEmpty() && !StatusSnapshot.UP.equals(status)) {
                    down.add(component.getKey() + " " + status);
                }
            });
            return down.isEmpty() ? "" : ": " + String.join(", ", down);
        } catch (IOException notJson) {
            return "";
        }
    }

    private static PrometheusText metrics(Probe probe, List<String> notes) {
        HttpProbe.Response response = probe.metrics().join();
        if (!response.ok()) {
            notes.add(probe.name() + " /metrics: " + response.describe());
            return null;
        }
        try {
            return PrometheusText.parse(response.body());
        } catch (IllegalArgumentException e) {
            notes.add(probe.name() + " /metrics: " + e.getMessage());
            return null;
        }
    }

    private static void perf(Probe probe, CacheStatsReader cache, List<String> notes) {
        HttpProbe.Response response = probe.perf().join();
        if (!response.ok()) {
            notes.add(probe.name() + " /v1/perf/cache: " + response.describe());
            return;
        }
        try {
            cache.add(probe.url().toString(), response.body());
        } catch (IllegalArgumentException e) {
            notes.add(probe.name() + ": " + e.getMessage());
        }
    }

    /** Each process' {@code commitcast_rules_info} fingerprint, and an api-service's {@code commitcast_rules_mismatch}. */
    private static StatusSnapshot.Rules rules(List<Probe> probes, Map<Probe, PrometheusText> metrics) {
        List<StatusSnapshot.ProcessRules> processes = new ArrayList<>();
        java.util.Set<String> fingerprints = new java.util.TreeSet<>();
        boolean broadcastsDiffer = false;
        for (Probe probe : probes) {
            PrometheusText text = metrics.get(probe);
            if (text == null) {
                continue;
            }
            String fingerprint = text.samples("commitcast_rules_info").stream().map(s -> s.label("fingerprint"))
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
            boolean differ = text.value("commitcast_rules_mismatch").orElse(0) > 0;
            if (fingerprint != null) {
                fingerprints.add(fingerprint);
            }
            broadcastsDiffer |= differ;
            processes.add(new StatusSnapshot.ProcessRules(probe.name(), fingerprint, differ));
        }
        Boolean agree = fingerprints.isEmpty() && !broadcastsDiffer ? null : fingerprints.size() <= 1 && !broadcastsDiffer;
        return new StatusSnapshot.Rules(agree, processes);
    }

    private static StatusSnapshot.Continuity continuity(PrometheusText cdc, PrometheusText invalidator) {
        return new StatusSnapshot.Continuity(
                cdc == null ? null : byReason(cdc, "commitcast_cdc_continuity_resets_total"),
                invalidator == null ? null
                        : nullIfNaN(invalidator.sum("commitcast_invalidator_continuity_resets_total")),
                invalidator == null ? null : byReason(invalidator, "commitcast_invalidator_full_invalidations_total"));
    }

    /** The non-zero samples of a counter by its {@code reason} label. */
    private static Map<String, Double> byReason(PrometheusText metrics, String counter) {
        Map<String, Double> counts = new java.util.TreeMap<>();
        for (PrometheusText.Sample sample : metrics.samples(counter)) {
            if (sample.value() > 0 && sample.label("reason") != null) {
                counts.merge(sample.label("reason"), sample.value(), Double::sum);
            }
        }
        return counts;
    }

    /**
     * The metrics of every instance of a kind as one exposition (null when none answered): each invalidator reports
     * the lag of the partitions it owns, and counters and histogram buckets add up over the consumer group.
     */
    private static PrometheusText merged(List<PrometheusText> of) {
        return of.isEmpty() ? null : of.size() == 1 ? of.getFirst() : PrometheusText.concat(of);
    }

    /** The metrics of every instance of a kind that answered, in probe order. */
    private static List<PrometheusText> instancesOf(Map<Probe, PrometheusText> metrics, ServiceKind kind) {
        return metrics.entrySet().stream().filter(e -> e.getKey().kind() == kind)
                .map(Map.Entry::getValue).toList();
    }

    private static List<StatusSnapshot.PartitionLag> lag(PrometheusText invalidator) {
        if (invalidator == null) {
            return List.of();
        }
        Map<String, StatusSnapshot.PartitionLag> lags = new LinkedHashMap<>();
        for (PrometheusText.Sample sample : invalidator.samples("commitcast_invalidator_lag_records")) {
            lags.put(partitionKey(sample), new StatusSnapshot.PartitionLag(sample.label("topic"),
                    partition(sample), nullIfNaN(sample.value()), null));
        }
        for (PrometheusText.Sample sample : invalidator.samples("commitcast_invalidator_lag_seconds")) {
            StatusSnapshot.PartitionLag known = lags.get(partitionKey(sample));
            lags.put(partitionKey(sample), new StatusSnapshot.PartitionLag(sample.label("topic"), partition(sample),
                    known == null ? null : known.records(), nullIfNaN(sample.value())));
        }
        return lags.values().stream().sorted(Comparator.comparing(StatusSnapshot.PartitionLag::topic)
                .thenComparingInt(StatusSnapshot.PartitionLag::partition)).toList();
    }

    private static String partitionKey(PrometheusText.Sample sample) {
        return sample.label("topic") + "-" + sample.label("partition");
    }

    private static int partition(PrometheusText.Sample sample) {
        try {
            return Integer.parseInt(sample.label("partition"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static StatusSnapshot.Staleness staleness(Map<Probe, PrometheusText> metrics,
                                                      StatusSnapshot.Watermark stored, PrometheusText cdc) {
        List<StatusSnapshot.InstanceStaleness> instances = new ArrayList<>();
        Double max = null;
        for (Map.Entry<Probe, PrometheusText> entry : metrics.entrySet()) {
            if (entry.getKey().kind() == ServiceKind.API_SERVICE) {
                Double seconds = nullIfNaN(entry.getValue().value("commitcast_staleness_seconds"));
                instances.add(new StatusSnapshot.InstanceStaleness(entry.getKey().url().toString(), seconds));
                if (seconds != null && (max == null || seconds > max)) {
                    max = seconds;
                }
            }
        }
        if (max == null && stored != null) {
            max = stored.ageSeconds();
        }
        Double cdcLag = cdc == null ? null : nullIfNaN(cdc.value("commitcast_cdc_source_lag_seconds"));
        return new StatusSnapshot.Staleness(max, instances, stored, cdcLag);
    }

    /** Each stage's latency, in pipeline order; a stage whose service is not read is null. */
    private StatusSnapshot.InvalidationLatency latency(PrometheusText cdc, PrometheusText invalidator,
                                                       Map<Probe, PrometheusText> metrics) {
        List<StatusSnapshot.InstanceQuantiles> received = new ArrayList<>();
        for (Map.Entry<Probe, PrometheusText> entry : metrics.entrySet()) {
            if (entry.getKey().kind() == ServiceKind.API_SERVICE) {
                String url = entry.getKey().url().toString();
                received.add(new StatusSnapshot.InstanceQuantiles(url,
                        quantiles(entry.getValue(), BROADCAST_TO_RECEIVED, url)));
            }
        }
        return new StatusSnapshot.InvalidationLatency(
                stage(PipelineStage.DECODED, cdc, invalidator), stage(PipelineStage.KAFKA_ACK, cdc, invalidator),
                stage(PipelineStage.CONSUMED, cdc, invalidator), stage(PipelineStage.REDIS_DELETE, cdc, invalidator),
                stage(PipelineStage.BROADCAST, cdc, invalidator), received);
    }

    /** The stage's quantiles from the service that measures it; null when that service is not read. */
    private StatusSnapshot.Quantiles stage(PipelineStage stage, PrometheusText cdc, PrometheusText invalidator) {
        PrometheusText metrics = switch (stage.service()) {
            case CDC_CONNECTOR -> cdc;
            case INVALIDATOR -> invalidator;
            case API_SERVICE -> throw new IllegalArgumentException("no pipeline stage is measured by the api-service");
        };
        return metrics == null ? null : quantiles(metrics, stage.histogram(), stage.service().module());
    }

    /** A histogram's quantiles, and over the interval since the previous call for the same {@code source}. */
    private StatusSnapshot.Quantiles quantiles(PrometheusText metrics, String histogram, String source) {
        List<HistogramQuantile.Bucket> now = HistogramQuantile.buckets(metrics, histogram);
        if (now.isEmpty()) {
            return null;
        }
        List<HistogramQuantile.Bucket> before = previous.put(source + " " + histogram, now);
        List<HistogramQuantile.Bucket> recent = before == null ? null : HistogramQuantile.minus(now, before);
        return new StatusSnapshot.Quantiles(HistogramQuantile.count(now),
                nullIfNaN(HistogramQuantile.quantile(0.5, now)), nullIfNaN(HistogramQuantile.quantile(0.99, now)),
                recent == null ? null : HistogramQuantile.count(recent),
                recent == null ? null : nullIfNaN(HistogramQuantile.quantile(0.5, recent)),
                recent == null ? null : nullIfNaN(HistogramQuantile.quantile(0.99, recent)));
    }

    private StatusSnapshot.Watermark readWatermark(List<String> notes) {
        if (watermark == null) {
            return null;
        }
        try {
            return watermark.read();
        } catch (IllegalStateException e) {
            notes.add(e.getMessage());
            return null;
        }
    }

    private Long readDlq(List<String> notes) {
        if (dlq == null) {
            return null;
        }
        try {
            return dlq.records();
        } catch (IllegalStateException e) {
            notes.add(e.getMessage());
            return null;
        }
    }

    private static Double nullIfNaN(OptionalDouble value) {
        return value.isPresent() ? nullIfNaN(value.getAsDouble()) : null;
    }

    private static Double nullIfNaN(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : value;
    }

    @Override
    public void close() {
        if (watermark != null) {
            watermark.close();
        }
        if (dlq != null) {
            dlq.close();
        }
    }
}
