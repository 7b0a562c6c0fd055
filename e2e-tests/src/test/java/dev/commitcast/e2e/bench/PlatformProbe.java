package dev.commitcast.e2e.bench;

import dev.commitcast.cli.platform.Endpoints;
import dev.commitcast.cli.platform.ServiceKind;
import dev.commitcast.cli.status.HistogramQuantile;
import dev.commitcast.cli.status.PipelineStage;
import dev.commitcast.cli.status.PrometheusText;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the benchmark asks of a running platform besides its own timings: the services' per-stage latency histograms
 * ({@code /metrics}, the same ones {@code status} reads) between two points in time, each service's heap after a full
 * GC, and pausing the whole pipeline (SIGSTOP of every service JVM) so that Postgres can be measured alone on the
 * same machine with the same rows. Endpoints come from {@code eval "$(./commitcast env)"}.
 */
final class PlatformProbe implements AutoCloseable {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<ServiceKind, List<URI>> services = new LinkedHashMap<>();

    PlatformProbe() {
        services.put(ServiceKind.CDC_CONNECTOR, uris(System.getenv(Endpoints.CDC)));
        services.put(ServiceKind.INVALIDATOR, uris(System.getenv(Endpoints.INVALIDATOR_URLS)));
        services.put(ServiceKind.API_SERVICE, uris(System.getenv(Endpoints.API_URLS)));
    }

    private static List<URI> uris(String commaSeparated) {
        return commaSeparated == null || commaSeparated.isBlank() ? List.of()
                : Arrays.stream(commaSeparated.split(",")).map(String::strip).map(URI::create).toList();
    }

    /** Every stage's histogram buckets now, summed over the instances of its service. */
    Map<String, List<HistogramQuantile.Bucket>> stages() {
        Map<ServiceKind, PrometheusText> byService = new LinkedHashMap<>();
        services.forEach((service, uris) -> byService.put(service, PrometheusText.concat(
                uris.stream().map(this::metrics).toList())));
        Map<String, List<HistogramQuantile.Bucket>> buckets = new LinkedHashMap<>();
        for (PipelineStage stage : PipelineStage.values()) {
            buckets.put(stage.label(), HistogramQuantile.buckets(byService.get(stage.service()), stage.histogram()));
        }
        return buckets;
    }

    /** "p50 / p99" in ms of each stage between two {@link #stages()} snapshots, in pipeline order. */
    static String stageQuantiles(Map<String, List<HistogramQuantile.Bucket>> before,
                                 Map<String, List<HistogramQuantile.Bucket>> after) {
        List<String> cells = new ArrayList<>();
        for (PipelineStage stage : PipelineStage.values()) {
            List<HistogramQuantile.Bucket> delta = HistogramQuantile.minus(after.get(stage.label()),
                    before.getOrDefault(stage.label(), List.of()));
            cells.add(HistogramQuantile.count(delta) == 0 ? "-" : String.format(Locale.ROOT, "%.1f / %.1f",
                    1000 * HistogramQuantile.quantile(0.5, delta), 1000 * HistogramQuantile.quantile(0.99, delta)));
        }
        return String.join(" | ", cells);
    }

    /** Heap in use right after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}), MB, per service JVM. */
    Map<String, Long> heapAfterGc() throws IOException, InterruptedException {
        Map<String, Long> heap = new LinkedHashMap<>();
        for (Map.Entry<Long, String> service : servicePids().entrySet()) {
            String pid = Long.toString(service.getKey());
            jcmd(pid, "GC.run");
            java.util.regex.Matcher used = java.util.regex.Pattern.compile("heap\\s+total.*?used (\\d+)K")
                    .matcher(jcmd(pid, "GC.heap_info"));
            heap.put(service.getValue() + " " + pid, used.find() ? Long.parseLong(used.group(1)) / 1024 : -1);
        }
        return heap;
    }

    private static String jcmd(String pid, String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), pid,
                command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

    /** Stops every service JVM of the platform (SIGSTOP): Postgres, Kafka and Redis keep running. */
    void pausePipeline() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** Lets them run again (SIGCONT); the connector then streams what was committed meanwhile from its slot. */
    void resumePipeline() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", signal));
        servicePids().keySet().forEach(pid -> command.add(Long.toString(pid)));
        if (command.size() > 2 && new ProcessBuilder(command).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("could not send " + signal + " to the platform's services: " + command);
        }
    }

    /**
     * pid -> cdc, invalidator or api: every service JVM of this platform, i.e. whose {@code MICRONAUT_SERVER_PORT}
     * (how {@code up} gives each its port) is the port of one of the endpoints; another platform on this machine is
     * left alone.
     */
    private Map<Long, String> servicePids() throws IOException, InterruptedException {
        java.util.Set<String> ports = new java.util.HashSet<>();
        services.values().forEach(uris -> uris.forEach(uri -> ports.add(Integer.toString(uri.getPort()))));
        Process ps = new ProcessBuilder("ps", "-eo", "pid=,args=").start();
        String output = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ps.waitFor();
        Map<Long, String> pids = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] fields = line.strip().split("\\s+", 2);
            for (ServiceKind kind : ServiceKind.values()) {
                String mainClass = kind.mainClass();
                if (fields.length == 2 && fields[1].contains(mainClass) && ports.contains(serverPort(fields[0]))) {
                    pids.put(Long.parseLong(fields[0]), mainClass.split("\\.")[2]);
                }
            }
        }
        return pids;
    }

    private static String serverPort(String pid) {
        try {
            for (String variable : Files.readString(Path.of("/proc", pid, "environ")).split("\u0000")) {
                if (variable.startsWith("MICRONAUT_SERVER_PORT=")) {
                    return variable.substring("MICRONAUT_SERVER_PORT=".length());
                }
            }
        } catch (IOException gone) {
            // exited meanwhile, or not ours to read
        }
        return "";
    }

    private PrometheusText metrics(URI service) {
        try {
            return PrometheusText.scrape(http, service, Duration.ofSeconds(5));
        } catch (IOException e) {
            throw new IllegalStateException("reading " + service + "/metrics: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
