package dev.commitcast.e2e.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU seconds and RSS of the platform's processes, from {@code ps} (procps). Take a snapshot before and after a run
 * and {@link #printDelta print the difference} to get each process's CPU use during the run.
 */
final class ProcessStats {
    private static final List<String[]> PROCESSES = List.of(
            new String[] {"api-service-1", "dev.commitcast.api.Application", "-1"},
            new String[] {"api-service", "dev.commitcast.api.Application", ""},
            new String[] {"invalidator", "dev.commitcast.invalidator.Application", ""},
            new String[] {"cdc-connector", "dev.commitcast.cdc.Application", ""},
            new String[] {"kafka", "KafkaBrokerMain", ""},
            new String[] {"redis", "redis-server", ""},
            new String[] {"postgres (all backends)", "postgres", ""});

    /** One process: CPU seconds so far and resident memory in MB. */
    record Usage(double cpuSeconds, double rssMb) {
    }

    private ProcessStats() {
    }

    /** Per named process (several Postgres backends are summed), CPU seconds and RSS. */
    static Map<String, Usage> snapshot() throws IOException, InterruptedException {
        Process ps = new ProcessBuilder("ps", "-eo", "pid=,rss=,cputimes=,args=").start();
        String output = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ps.waitFor();
        Map<String, Usage> usage = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] fields = line.trim().split("\\s+", 4);
            if (fields.length < 4) {
                continue;
            }
            String name = name(fields[0], fields[3]);
            if (name != null) {
                Usage add = new Usage(cpuSeconds(fields[0], Long.parseLong(fields[2])), Long.parseLong(fields[1]) / 1024.0);
                usage.merge(name, add, (a, b) -> new Usage(a.cpuSeconds + b.cpuSeconds, a.rssMb + b.rssMb));
            }
        }
        return usage;
    }

    /** utime + stime from /proc/<pid>/stat (clock ticks of 10 ms), else ps' whole seconds. */
    private static double cpuSeconds(String pid, long psSeconds) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // fields 14 and 15, after pid and comm
        } catch (IOException | RuntimeException gone) {
            return psSeconds;
        }
    }

    private static String name(String pid, String args) {
        if (args.contains("dev.commitcast.api.Application")) {
            return "api-service (pid " + pid + ")";
        }
        for (String[] wanted : PROCESSES.subList(2, PROCESSES.size())) {
            if (args.contains(wanted[1])) {
                return wanted[0];
            }
        }
        return null;
    }

    /** "name n %, ..." : each process's CPU between two snapshots, in % of one core. */
    static String cpuPercent(Map<String, Usage> before, Map<String, Usage> after, long seconds) {
        List<String> cells = new java.util.ArrayList<>();
        after.forEach((name, end) -> {
            Usage start = before.getOrDefault(name, new Usage(0, 0));
            cells.add(String.format(java.util.Locale.ROOT, "%s %.0f %%", name.replaceAll(" \\(.*\\)", ""),
                    100.0 * (end.cpuSeconds - start.cpuSeconds) / Math.max(1, seconds)));
        });
        return String.join(", ", cells);
    }

    static void printDelta(Map<String, Usage> before, Map<String, Usage> after, long seconds) {
        System.out.println("process | CPU during the run (% of one core) | RSS MB at the end");
        after.forEach((name, end) -> {
            Usage start = before.getOrDefault(name, new Usage(0, 0));
            System.out.printf("%s | %.0f %% | %.0f%n", name, 100.0 * (end.cpuSeconds - start.cpuSeconds) / seconds,
                    end.rssMb);
        });
    }
}
