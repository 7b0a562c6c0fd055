package dev.commitcast.cdc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.cdc.CdcSettings;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A default is written in four places: {@link CdcSettings}' {@code DEFAULT_*} constants (what in-process callers get),
 * {@link CdcProperties}' {@code @Bindable} defaults and {@code application.yml}'s {@code ${COMMITCAST_...:default}}
 * fallbacks (what the service gets), and the README's configuration table (what users read). These tests hold the
 * last three to the first, so changing a default in one place and not the others fails the build.
 */
class CdcPropertiesTest {
    private static final Map<String, String> REQUIRED = Map.of(
            "jdbc-url", "jdbc:postgresql://db.internal:5432/app",
            "user", "cdc",
            "password", "s3cret",
            "kafka-bootstrap", "k1:9092",
            "rules", "rules.yml");
    /** A row of the README's table: | `key` | env | default | meaning |. */
    private static final Pattern ROW = Pattern.compile(
            "(?m)^\\| `([a-z-]+)`(?: / `([a-z-]+)`)? \\|([^|]*)\\|([^|]*)\\|");

    /** The service, bound by Micronaut from application.yml without any COMMITCAST_* variable, runs on the defaults. */
    @Test
    void theServiceRunsOnTheSettingsDefaults() {
        Map<String, Object> properties = new HashMap<>();
        REQUIRED.forEach((key, value) -> properties.put("commitcast.cdc." + key, value));
        properties.put("commitcast.rules", REQUIRED.get("rules"));
        try (ApplicationContext context = ApplicationContext.builder().environmentPropertySource(false)
                .properties(properties).start()) {
            assertEquals(defaults(), context.getBean(CdcProperties.class).toSettings());
        }
    }

    /** Each default the README shows is the default: setting it explicitly changes nothing. */
    @Test
    void theReadmeShowsTheDefaults() throws IOException {
        Map<String, String> shown = new TreeMap<>();
        for (Row row : readmeRows()) {
            Matcher value = Pattern.compile("^`([^`<]+)`").matcher(row.defaultValue());
            if (value.find()) {
                shown.put(row.key(), value.group(1));
            }
        }
        assertTrue(shown.size() >= 15, "defaults found in the README: " + shown);
        for (Map.Entry<String, String> entry : shown.entrySet()) {
            Map<String, String> given = new HashMap<>(REQUIRED);
            given.put(entry.getKey(), entry.getValue());
            assertEquals(defaults(), CdcSettings.fromMap(given),
                    "README.md shows `" + entry.getValue() + "` as the default of " + entry.getKey());
        }
    }

    /**
     * The README lists every key the connector knows, and the environment variable it names for a key is the one
     * application.yml maps to that key.
     */
    @Test
    void theReadmeListsEveryKeyWithItsVariable() throws IOException {
        String yml = Files.readString(Path.of("src/main/resources/application.yml"));
        Set<String> documented = new TreeSet<>();
        for (Row row : readmeRows()) {
            documented.addAll(row.keys());
            Matcher variables = Pattern.compile("`(COMMITCAST_[A-Z_]+)`").matcher(row.env());
            for (String key : row.keys()) {
                if (variables.find() && !row.env().contains("via")) {
                    assertTrue(yml.contains("    " + key + ": ${" + variables.group(1) + ":"),
                            "application.yml maps " + variables.group(1) + " to commitcast.cdc." + key);
                }
            }
        }
        Set<String> known = new TreeSet<>();
        for (var component : CdcProperties.class.getRecordComponents()) {
            known.add(component.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT));
        }
        assertEquals(known, documented);
    }

    private static CdcSettings defaults() {
        return CdcSettings.fromMap(REQUIRED);
    }

    private record Row(List<String> keys, String env, String defaultValue) {
        String key() {
            return keys.getFirst();
        }
    }

    private static List<Row> readmeRows() throws IOException {
        Matcher row = ROW.matcher(Files.readString(Path.of("README.md")));
        List<Row> rows = new ArrayList<>();
        while (row.find()) {
            rows.add(new Row(row.group(2) == null ? List.of(row.group(1)) : List.of(row.group(1), row.group(2)),
                    row.group(3).strip(), row.group(4).strip()));
        }
        return rows;
    }
}
