package dev.commitcast.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The running platform as the supervisor describes it in {@code <home>/state.properties}: its pid, its status
 * ({@code starting}, {@code ready}, {@code failed}) and the endpoints of every server and service. Written
 * atomically (temp file + rename), so a reader never sees half a file.
 */
record StackState(Map<String, String> values) {
    static final String FILE = "state.properties";

    static final String PID = "pid";
    static final String STATUS = "status";
    static final String ERROR = "error";
    static final String CHILDREN = "children";

    static final String STARTING = "starting";
    static final String READY = "ready";
    static final String FAILED = "failed";

    StackState {
        values = Map.copyOf(values);
    }

    static Optional<StackState> read(Path home) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(home.resolve(FILE))) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + home.resolve(FILE), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
        return Optional.of(new StackState(values));
    }

    void write(Path home) {
        Properties properties = new Properties();
        properties.putAll(new TreeMap<>(values));
        try {
            Files.createDirectories(home);
            Path temp = Files.createTempFile(home, "state", ".tmp");
            try (Writer writer = Files.newBufferedWriter(temp)) {
                properties.store(writer, "Commitcast local platform; written by the supervisor, read by ./commitcast");
            }
            Files.move(temp, home.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + home.resolve(FILE), e);
        }
    }

    static void delete(Path home) {
        try {
            Files.deleteIfExists(home.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + home.resolve(FILE), e);
        }
    }

    StackState with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new StackState(copy);
    }

    String get(String key) {
        return values.get(key);
    }

    String status() {
        return values.getOrDefault(STATUS, "");
    }

    long pid() {
        return Long.parseLong(values.getOrDefault(PID, "-1"));
    }

    /** Whether the supervisor that wrote this state is still alive. */
    boolean supervisorAlive() {
        return ProcessHandle.of(pid()).map(ProcessHandle::isAlive).orElse(false);
    }
}
