package dev.commitcast.cli;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A process the supervisor started, recorded as {@code pid@startMillis} so that {@code down} never kills an
 * unrelated process that happens to reuse the pid later.
 */
record ProcessRecord(long pid, long startMillis) {
    static ProcessRecord of(ProcessHandle handle) {
        long start = handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return new ProcessRecord(handle.pid(), start);
    }

    static String format(List<ProcessRecord> records) {
        return records.stream().map(r -> r.pid + "@" + r.startMillis).collect(Collectors.joining(","));
    }

    static List<ProcessRecord> parse(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> {
                    int at = s.indexOf('@');
                    return at < 0 ? new ProcessRecord(Long.parseLong(s), 0)
                            : new ProcessRecord(Long.parseLong(s.substring(0, at)), Long.parseLong(s.substring(at + 1)));
                })
                .toList();
    }

    /** The live process this record names, if it is still the same process (same start time). */
    Optional<ProcessHandle> live() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> startMillis == 0
                || h.info().startInstant().map(Instant::toEpochMilli).orElse(startMillis) == startMillis);
    }
}
