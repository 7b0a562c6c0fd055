package dev.commitcast.devstack.internal;

import dev.commitcast.devstack.DevStackException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code stack.pids}: one {@code <name> <pid>} line per running child process of the stack, rewritten atomically on
 * every change. A launcher's {@code down} (and {@link OrphanReaper}) read it to find what may still run. Names:
 * {@code postgres} (the postmaster), {@code postgres-launcher} (runuser, when the JVM is root), {@code redis},
 * {@code kafka}.
 */
public final class PidRegistry {
    public static final String FILE_NAME = "stack.pids";

    private final Path file;
    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final Runnable onFirstRegistration;
    private boolean registeredAny;

    public PidRegistry(Path workDir, Runnable onFirstRegistration) {
        this.file = workDir.resolve(FILE_NAME);
        this.onFirstRegistration = onFirstRegistration;
    }

    public Path file() {
        return file;
    }

    public void register(String name, long pid) {
        boolean first;
        synchronized (this) {
            pids.put(name, pid);
            first = !registeredAny;
            registeredAny = true;
            write();
        }
        if (first) {
            onFirstRegistration.run();
        }
    }

    public synchronized void unregister(String name) {
        if (pids.remove(name) != null) {
            write();
        }
    }

    public synchronized Map<String, Long> snapshot() {
        return Map.copyOf(pids);
    }

    private void write() {
        StringBuilder text = new StringBuilder();
        pids.forEach((name, pid) -> text.append(name).append(' ').append(pid).append('\n'));
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DevStackException("Could not write " + file + ": " + e, e);
        }
    }

    /** Reads a {@code stack.pids} file (for launchers and tests); missing file = no pids. */
    public static Map<String, Long> read(Path workDir) {
        Path path = workDir.resolve(FILE_NAME);
        Map<String, Long> result = new LinkedHashMap<>();
        if (!Files.exists(path)) {
            return result;
        }
        try {
            for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2) {
                    result.put(parts[0], Long.parseLong(parts[1]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new DevStackException("Could not read " + path + ": " + e, e);
        }
        return result;
    }
}
