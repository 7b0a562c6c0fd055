package dev.commitcast.invalidator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.testsupport.Repo;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.ConversionService;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InvalidatorConfigTest {

    @Test
    void defaults() {
        InvalidatorConfig config = InvalidatorConfig.builder("localhost:9092", "redis://localhost:6379")
                .rules(Repo.demoRulesFile()).build();
        assertEquals("commitcast-invalidator", config.groupId());
        assertEquals("commitcast.dlq", config.dlqTopic());
        assertTrue(config.changeTopics().matcher("commitcast.public.users").matches());
        assertTrue(config.changeTopics().matcher("commitcast.catalog.products").matches());
        assertTrue(!config.changeTopics().matcher("commitcastXpublic.users").matches());
        assertTrue(!config.changeTopics().matcher("commitcast.dlq").matches());
        assertEquals("cc", config.loadRules().keySpace().prefix(), "the rules file's prefix");
        assertEquals("it-1", config.toBuilder().keySpace("it-1").build().loadRules().keySpace().prefix());
        assertEquals(config, config.toBuilder().build());
    }

    /** The module README's configuration table names exactly the keys InvalidatorConfig binds, no more, no less. */
    @Test
    void theReadmeListsEveryKey() throws IOException {
        Set<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z-]+)` \\|").matcher(
                Files.readString(Path.of("README.md")));
        while (row.find()) {
            documented.add(row.group(1));
        }
        Set<String> bound = new TreeSet<>();
        for (RecordComponent component : InvalidatorConfig.class.getRecordComponents()) {
            bound.add(kebab(component.getName()));
        }
        assertEquals(bound, documented);
    }

    /**
     * A default is written three times: the {@code DEFAULT_*} constants the builder uses (in-process callers), the
     * {@code @Bindable} defaults Micronaut binds (the service), and the README's table (users). Each {@code @Bindable}
     * default, converted as Micronaut converts it, and each default the README shows in backticks must give the
     * builder's configuration.
     */
    @Test
    void theServiceAndTheReadmeHaveTheBuildersDefaults() throws Exception {
        InvalidatorConfig defaults = InvalidatorConfig.builder("localhost:9092", "redis://localhost:6379")
                .rules(Path.of("rules.yml")).build();
        Map<String, String> shown = new TreeMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z-]+)` \\|[^|]*\\| `([^`<]+)` \\|").matcher(
                Files.readString(Path.of("README.md")));
        while (row.find()) {
            shown.put(row.group(1), row.group(2));
        }
        assertTrue(shown.size() >= 10, "defaults found in the README: " + shown);
        RecordComponent[] components = InvalidatorConfig.class.getRecordComponents();
        Constructor<InvalidatorConfig> canonical = InvalidatorConfig.class.getDeclaredConstructor(
                Stream.of(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        int bindable = 0;
        for (int i = 0; i < components.length; i++) {
            String key = kebab(components[i].getName());
            Bindable annotation = canonical.getParameters()[i].getAnnotation(Bindable.class);
            String bound = annotation == null ? "" : annotation.defaultValue();
            if (!bound.isEmpty()) {
                bindable++;
                assertEquals(defaults, with(canonical, components, defaults, i, bound),
                        "@Bindable(defaultValue = \"" + bound + "\") of " + key + " is not the builder's default");
            }
            if (shown.containsKey(key)) {
                assertEquals(defaults, with(canonical, components, defaults, i, shown.get(key)),
                        "README.md shows `" + shown.get(key) + "` as the default of " + key);
            }
        }
        assertTrue(bindable >= 10, "@Bindable defaults found: " + bindable);
    }

    /** The configuration with component {@code index} converted from {@code text} as Micronaut binds it. */
    private static InvalidatorConfig with(Constructor<InvalidatorConfig> canonical, RecordComponent[] components,
                                          InvalidatorConfig base, int index, String text) throws Exception {
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            args[i] = components[i].getAccessor().invoke(base);
        }
        Class<?> type = components[index].getType();
        args[index] = ConversionService.SHARED.convert(text, type).orElseThrow(
                () -> new AssertionError("Micronaut cannot convert \"" + text + "\" to " + type));
        try {
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new AssertionError(kebab(components[index].getName()) + " = " + text + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private static String kebab(String name) {
        return name.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                bad("kafka-bootstrap is not set (set COMMITCAST_KAFKA_BOOTSTRAP)", b -> InvalidatorConfig.builder(
                        " ", "redis://localhost:6379")),
                bad("kafka-bootstrap is 'localhost'", b -> InvalidatorConfig.builder("localhost", "redis://h:1")),
                bad("redis-uri is not set (set COMMITCAST_REDIS_URL)", b -> InvalidatorConfig.builder("h:1", "")),
                bad("redis-uri is 'http://h:1'", b -> InvalidatorConfig.builder("h:1", "http://h:1")),
                bad("max-poll-records is '0'", b -> b.maxPollRecords(0)),
                bad("key-space is 'CC'", b -> b.keySpace("CC")),
                bad("dlq-topic is 'commitcast.public.dlq'", b -> b.dlqTopic("commitcast.public.dlq")),
                bad("retry-max-backoff is 'PT0.05S'", b -> b.retryBackoff(Duration.ofMillis(100), Duration.ofMillis(50))),
                bad("poll-timeout is 'PT2S'", b -> b.pollTimeout(Duration.ofSeconds(2))),
                bad("heartbeat-interval is 'PT0S'", b -> b.heartbeatInterval(Duration.ZERO)),
                bad("commit-interval is 'PT-0.001S'", b -> b.commitInterval(Duration.ofMillis(-1))),
                bad("commit-interval is 'PT11S'", b -> b.commitInterval(Duration.ofSeconds(11))),
                bad("rules is not set (set COMMITCAST_RULES)", b -> InvalidatorConfig.builder("h:1", "redis://h:1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusesInvalidValuesNamingKeyAndValue(String expected, UnaryOperator<InvalidatorConfig.Builder> change) {
        InvalidatorConfig.Builder builder = change.apply(InvalidatorConfig.builder("localhost:9092",
                "redis://localhost:6379").rules(Repo.demoRulesFile()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().startsWith("commitcast.invalidator." + expected), e.getMessage());
    }

    private static Arguments bad(String expected, UnaryOperator<InvalidatorConfig.Builder> change) {
        return Arguments.of(expected, change);
    }
}
