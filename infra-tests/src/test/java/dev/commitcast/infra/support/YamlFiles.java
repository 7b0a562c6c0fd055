package dev.commitcast.infra.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads YAML the way Compose and Prometheus do: anchors, aliases and {@code <<} merge keys resolved (SnakeYAML's
 * safe constructor), then as a Jackson tree for schema validation and navigation.
 */
public final class YamlFiles {

    public static final ObjectMapper JSON = new ObjectMapper();

    private YamlFiles() {
    }

    /** The document as a tree; anchors and merge keys are already resolved. */
    public static JsonNode tree(Path file) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try (Reader reader = Files.newBufferedReader(file)) {
            Object document = new Yaml(new SafeConstructor(options)).load(reader);
            return JSON.valueToTree(document);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** A JSON file as a tree. */
    public static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse " + file, e);
        }
    }
}
