package dev.commitcast.infra.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed compose file with the accessors the checks need. Compose allows a list or a map for
 * {@code environment} and {@code depends_on}, and short or long syntax for {@code ports}; these accessors return one
 * normalised form. Values are interpolated with the file's own defaults ({@link Interpolation#defaults}).
 */
public final class ComposeFile {

    /** One published port: host port to container port. */
    public record PublishedPort(String service, int hostPort, int containerPort) {
    }

    private final Path file;
    private final JsonNode root;

    private ComposeFile(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    public static ComposeFile load(Path file) {
        return new ComposeFile(file, YamlFiles.tree(file));
    }

    public Path file() {
        return file;
    }

    /** The directory relative paths (build contexts, bind mounts) are resolved against. */
    public Path directory() {
        return file.toAbsolutePath().getParent();
    }

    public JsonNode tree() {
        return root;
    }

    public Set<String> serviceNames() {
        Set<String> names = new TreeSet<>();
        root.path("services").fieldNames().forEachRemaining(names::add);
        return names;
    }

    public JsonNode service(String name) {
        JsonNode service = root.path("services").path(name);
        if (service.isMissingNode()) {
            throw new IllegalArgumentException("No service '" + name + "' in " + file);
        }
        return service;
    }

    /** The service's environment as a map, whether written as a map or as a list of NAME=value. */
    public Map<String, String> environment(String name) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = service(name).path("environment");
        if (node.isObject()) {
            node.properties().forEach(e -> env.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                String[] kv = item.asText().split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        env.replaceAll((k, v) -> Interpolation.defaults(v));
        return env;
    }

    /** depends_on as service to condition; the list form means {@code service_started}. */
    public Map<String, String> dependsOn(String name) {
        Map<String, String> deps = new LinkedHashMap<>();
        JsonNode node = service(name).path("depends_on");
        if (node.isArray()) {
            node.forEach(d -> deps.put(d.asText(), "service_started"));
        } else if (node.isObject()) {
            node.properties().forEach(e -> deps.put(e.getKey(),
                    e.getValue().path("condition").asText("service_started")));
        }
        return deps;
    }

    /** Published ports of a service (entries without a host port are skipped). */
    public List<PublishedPort> publishedPorts(String name) {
        List<PublishedPort> ports = new ArrayList<>();
        for (JsonNode port : service(name).path("ports")) {
            if (port.isObject()) {
                if (port.has("published")) {
                    ports.add(new PublishedPort(name, Integer.parseInt(Interpolation.defaults(port.get("published").asText())),
                            port.path("target").asInt()));
                }
                continue;
            }
            String spec = Interpolation.defaults(port.asText()).replaceFirst("/(tcp|udp)$", "");
            String[] parts = spec.split(":");
            if (parts.length >= 2) { // [ip:]host:container, host may be a range (one port per replica)
                String[] range = parts[parts.length - 2].split("-", 2);
                int first = Integer.parseInt(range[0]);
                int last = range.length == 2 ? Integer.parseInt(range[1]) : first;
                for (int host = first; host <= last; host++) {
                    ports.add(new PublishedPort(name, host, Integer.parseInt(parts[parts.length - 1])));
                }
            }
        }
        return ports;
    }

    /** A build argument of the service, if it has a build section with that argument. */
    public Optional<String> buildArg(String name, String arg) {
        JsonNode args = service(name).path("build").path("args");
        if (args.isObject() && args.has(arg)) {
            return Optional.of(args.get(arg).asText());
        }
        if (args.isArray()) {
            for (JsonNode item : args) {
                String[] kv = item.asText().split("=", 2);
                if (kv[0].equals(arg) && kv.length == 2) {
                    return Optional.of(kv[1]);
                }
            }
        }
        return Optional.empty();
    }

    /** The service's command as a list of words (a string command is split on whitespace). */
    public List<String> command(String name) {
        JsonNode command = service(name).path("command");
        List<String> words = new ArrayList<>();
        if (command.isArray()) {
            command.forEach(w -> words.add(w.asText()));
        } else if (command.isTextual()) {
            words.addAll(List.of(command.asText().trim().split("\\s+")));
        }
        return words;
    }

    /** Short-syntax volume entries (source:target[:mode]) of a service. */
    public List<String[]> volumes(String name) {
        List<String[]> volumes = new ArrayList<>();
        for (JsonNode volume : service(name).path("volumes")) {
            if (volume.isTextual()) {
                volumes.add(Interpolation.defaults(volume.asText()).split(":"));
            } else {
                volumes.add(new String[] {volume.path("source").asText(), volume.path("target").asText()});
            }
        }
        return volumes;
    }
}
