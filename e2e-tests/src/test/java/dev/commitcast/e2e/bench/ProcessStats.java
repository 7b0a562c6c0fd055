package dev.commitcast.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** CPU time and RSS of the platform's processes, read from /proc (Linux). */
final class ProcessStats {
    private static final List<String[]> PROCESSES = List.of(
            new String[] {"api-service", "dev.commitcast.api.Application"},
            new String[] {"invalidator", "dev.commitcast.invalidator.Application"},
            new String[] {"cdc-connector", "dev.commitcast.cdc.Application"},
            new String[] {"kafka", "KafkaBrokerMain"},
            new String[] {"redis", "redis-server"},
            new String[] {"postgres", "postgres"});

    private ProcessStats() {
    }

    static void print() {
        System.out.println("process | pid | cpu seconds since start | uptime s | RSS MB");
        ProcessHandle.allProcesses().forEach(process -> {
            String command = process.info().commandLine().orElse("");
            for (String[] wanted : PROCESSES) {
                if (command.contains(wanted[1]) && (!wanted[0].equals("postgres") || command.contains(" -D "))) {
                    Duration cpu = process.info().totalCpuDuration().orElse(Duration.ZERO);
                    long uptime = process.info().startInstant()
                            .map(start -> Duration.between(start, java.time.Instant.now()).toSeconds()).orElse(0L);
                    System.out.printf("%s | %d | %.1f | %d | %.0f%n", wanted[0], process.pid(),
                            cpu.toMillis() / 1000.0, uptime, rssMb(process.pid()));
                }
            }
        });
    }

    private static double rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
