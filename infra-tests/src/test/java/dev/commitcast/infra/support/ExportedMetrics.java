package dev.commitcast.infra.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checked-in list of exported Prometheus sample names ({@code exported-metrics.txt} on the test classpath), by
 * source section ({@code [invalidator]}, {@code [api-service]}, ...).
 */
public final class ExportedMetrics {

    private static final String RESOURCE = "/exported-metrics.txt";

    private final Map<String, Set<String>> bySource;

    private ExportedMetrics(Map<String, Set<String>> bySource) {
        this.bySource = bySource;
    }

    public static ExportedMetrics load() {
        try (var in = ExportedMetrics.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test classpath");
            }
            return parse(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ExportedMetrics parse(List<String> lines) {
        Map<String, Set<String>> bySource = new LinkedHashMap<>();
        String section = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
                if (bySource.put(section, new TreeSet<>()) != null) {
                    throw new IllegalStateException("Section [" + section + "] appears twice in " + RESOURCE);
                }
            } else if (section == null) {
                throw new IllegalStateException("'" + line + "' in " + RESOURCE + " comes before any [section]");
            } else if (!line.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
                throw new IllegalStateException("'" + line + "' in " + RESOURCE + " [" + section
                        + "] is not a Prometheus metric name");
            } else {
                bySource.get(section).add(line);
            }
        }
        return new ExportedMetrics(bySource);
    }

    /** Every listed name. */
    public Set<String> all() {
        Set<String> all = new TreeSet<>();
        bySource.values().forEach(all::addAll);
        return all;
    }

    /** The names of one section. */
    public Set<String> source(String section) {
        Set<String> names = bySource.get(section);
        if (names == null) {
            throw new IllegalArgumentException("No section [" + section + "] in " + RESOURCE);
        }
        return names;
    }
}
