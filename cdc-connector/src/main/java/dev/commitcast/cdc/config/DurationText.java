package dev.commitcast.cdc.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration forms Micronaut accepts in configuration ({@code 10ms}, {@code 1s}, {@code 2m}, {@code 1h},
 * ISO-8601 {@code PT1S}) plus a bare number of milliseconds, so a properties map and {@code application.yml} mean the
 * same thing.
 */
public final class DurationText {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    private DurationText() {
    }

    /**
     * @param key   the configuration key, named in the error
     * @param value the text
     * @throws IllegalArgumentException naming key and value when the text is none of the accepted forms
     */
    public static Duration parse(String key, String value) {
        String text = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(text);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "ms" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Invalid " + key + " = \"" + value
                    + "\": expected a duration such as 10ms, 1s, 5m or PT1S");
        }
    }

    /** The shortest of the {@link #parse} forms that denotes {@code duration} exactly. */
    public static String format(Duration duration) {
        long ms = duration.toMillis();
        if (ms % 1000 != 0 || ms == 0) {
            return ms + "ms";
        }
        return ms / 1000 + "s";
    }
}
