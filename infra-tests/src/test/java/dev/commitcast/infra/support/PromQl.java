package dev.commitcast.infra.support;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the metric names a PromQL expression selects, without a full parser: strings, label matchers, ranges and
 * grouping clauses are removed, then every remaining identifier that is not a keyword and not followed by
 * {@code (} (a function or aggregation) is a metric name. Good for the expressions in our rules and dashboards; the
 * syntax itself is checked by promtool (PromtoolIT). {@link #withGrafanaVariables} turns Grafana's {@code $__...}
 * variables into a range first.
 */
public final class PromQl {

    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$__\\w+|\\$\\{[^}]*}|\\$\\w+");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern OFFSET = Pattern.compile("\\boffset\\s+-?[0-9a-z]+");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "offset", "and", "or", "unless", "atan2", "inf", "nan", "Inf", "NaN");

    private PromQl() {
    }

    /** Replaces Grafana's template variables ({@code $__rate_interval}, {@code $var}, {@code ${var}}) by {@code 5m}. */
    public static String withGrafanaVariables(String expr) {
        return GRAFANA_VARIABLE.matcher(expr).replaceAll("5m");
    }

    /** The metric names selected by {@code expr}. */
    public static Set<String> metricNames(String expr) {
        String s = withGrafanaVariables(expr);
        s = STRING.matcher(s).replaceAll(" ");
        s = LABEL_MATCHERS.matcher(s).replaceAll(" ");
        s = RANGE.matcher(s).replaceAll(" ");
        s = GROUPING.matcher(s).replaceAll(" ");
        s = OFFSET.matcher(s).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String word = m.group();
            if (!KEYWORDS.contains(word) && !followedByParenthesis(s, m.end())) {
                names.add(word);
            }
        }
        return names;
    }

    private static boolean followedByParenthesis(String s, int from) {
        int i = from;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i < s.length() && s.charAt(i) == '(';
    }
}
