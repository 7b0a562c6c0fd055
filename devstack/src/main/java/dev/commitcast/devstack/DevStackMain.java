package dev.commitcast.devstack;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Command line for the dev stack. {@code --bench N} starts and stops a fresh stack N times and prints per-server and
 * total start times (median/min/max) and stop times, for {@code docs/benchmarks.md}:
 *
 * <pre>
 * ./mvnw -B -pl devstack install -DskipTests
 * java -cp "devstack/target/classes:$(cat devstack/target/classpath.txt)" dev.commitcast.devstack.DevStackMain --bench 5
 * </pre>
 *
 * Servers start in parallel, so the total is close to the slowest server, not the sum. Each run uses a new
 * temporary work directory (initdb and Kafka storage formatting included).
 */
public final class DevStackMain {
    private static final String LOGBACK_CONFIG = "dev/commitcast/devstack/devstack-main-logback.xml";

    private DevStackMain() {
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
        }
        if (args.length == 2 && args[0].equals("--bench")) {
            int runs;
            try {
                runs = Integer.parseInt(args[1]);
            } catch (NumberFormatException e) {
                runs = -1;
            }
            if (runs < 1) {
                usage("--bench needs a positive run count, got '" + args[1] + "'");
                return;
            }
            bench(runs, System.out);
        } else {
            usage(args.length == 0 ? "no command" : "unknown arguments: " + String.join(" ", args));
        }
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("Usage: DevStackMain --bench N   start and stop the dev stack N times, print timings");
        System.exit(2);
    }

    static void bench(int runs, PrintStream out) {
        Map<ServerKind, List<Duration>> perServer = new EnumMap<>(ServerKind.class);
        List<Duration> totals = new ArrayList<>();
        List<Duration> stops = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            DevStack stack = DevStack.start(DevStackOptions.defaults());
            stack.startDurations().forEach((kind, d) -> perServer.computeIfAbsent(kind, k -> new ArrayList<>()).add(d));
            totals.add(stack.totalStartDuration());
            long t0 = System.nanoTime();
            stack.close();
            Duration stop = Duration.ofNanos(System.nanoTime() - t0);
            stops.add(stop);
            out.printf(Locale.ROOT, "run %d/%d: start %d ms (%s), stop %d ms%n", i, runs,
                    stack.totalStartDuration().toMillis(), format(stack.startDurations()), stop.toMillis());
        }
        out.printf(Locale.ROOT, "%nDev stack start/stop, %d runs, %d cores, Java %s%n", runs,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        out.printf(Locale.ROOT, "%-16s %8s %8s %8s%n", "phase", "median", "min", "max");
        perServer.forEach((kind, values) -> row(out, kind.displayName() + " start", values));
        row(out, "total start", totals);
        row(out, "total stop", stops);
    }

    private static String format(Map<ServerKind, Duration> durations) {
        StringBuilder sb = new StringBuilder();
        new EnumMap<>(durations).forEach((kind, d) ->
                sb.append(sb.isEmpty() ? "" : ", ").append(kind.displayName()).append(' ').append(d.toMillis()).append(" ms"));
        return sb.toString();
    }

    private static void row(PrintStream out, String name, List<Duration> values) {
        List<Long> ms = values.stream().map(Duration::toMillis).sorted().toList();
        long median = ms.size() % 2 == 1 ? ms.get(ms.size() / 2) : (ms.get(ms.size() / 2 - 1) + ms.get(ms.size() / 2)) / 2;
        out.printf(Locale.ROOT, "%-16s %5d ms %5d ms %5d ms%n", name, median, ms.getFirst(), ms.getLast());
    }
}
