package dev.commitcast.infra.support;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compose's variable interpolation ({@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}}, {@code $VAR},
 * {@code $$} for a literal {@code $}) against a fixed environment, so tests see the values a plain
 * {@code docker compose up} would use. Unset variables without a default become empty, as Compose does (with a
 * warning); {@code :?}/{@code ?} (required) variables fail.
 */
public final class Interpolation {

    private static final Pattern VARIABLE = Pattern.compile(
            "\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    private Interpolation() {
    }

    /** Resolves every variable of {@code text} in {@code environment}. */
    public static String resolve(String text, Map<String, String> environment) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else if (m.group(4) != null) {
                replacement = environment.getOrDefault(m.group(4), "");
            } else {
                String name = m.group(1);
                String operator = m.group(2);
                String value = environment.get(name);
                boolean useDefault = operator == null ? false
                        : operator.startsWith(":") ? value == null || value.isEmpty() : value == null;
                if (operator != null && operator.endsWith("?") && useDefault) {
                    throw new IllegalArgumentException("Variable " + name + " is required in '" + text + "': "
                            + m.group(3));
                }
                replacement = useDefault && operator.endsWith("-") ? m.group(3) : value == null ? "" : value;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Resolves with an empty environment: the defaults written in the file. */
    public static String defaults(String text) {
        return resolve(text, Map.of());
    }
}
