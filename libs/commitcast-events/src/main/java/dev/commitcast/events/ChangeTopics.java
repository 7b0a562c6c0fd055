package dev.commitcast.events;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of the Kafka topics change events travel on, as Debezium's Postgres connector names them and as our
 * connector does too: {@code <prefix>.<schema>.<table>} per captured table, {@code <prefix>.dlq} for dead letters.
 * The one definition the connector, the invalidator and the cli use. Stateless.
 */
public final class ChangeTopics {

    /** Characters of a topic prefix: Kafka's topic alphabet. */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private ChangeTopics() {
    }

    /** Returns whether a prefix is usable: 1 to 200 characters of {@code [A-Za-z0-9._-]}. */
    public static boolean validPrefix(String prefix) {
        return prefix != null && PREFIX.matcher(prefix).matches();
    }

    /** Returns the change topic of a table, e.g. {@code commitcast.public.users}. */
    public static String topic(String prefix, String schema, String table) {
        return prefix + "." + schema + "." + table;
    }

    /**
     * Returns the pattern of every change topic of a prefix: {@code <prefix>.<schema>.<table>}, exactly two
     * segments after the prefix (so {@code <prefix>.dlq} and Debezium's {@code <prefix>.transaction} are not
     * change topics).
     */
    public static Pattern pattern(String prefix) {
        return Pattern.compile(Pattern.quote(prefix + ".") + "([^.]+)\\.([^.]+)");
    }

    /** Returns the dead-letter topic of a prefix, {@code <prefix>.dlq}. */
    public static String dlq(String prefix) {
        return prefix + ".dlq";
    }

    /** Returns Debezium's logical-message topic of a prefix (heartbeats), {@code <prefix>.message}. */
    public static String messages(String prefix) {
        return prefix + ".message";
    }

    /** Returns {@code schema.table} of a change topic of the prefix, if it is one. */
    public static Optional<String> qualifiedTable(String prefix, String topic) {
        Matcher m = pattern(Objects.requireNonNull(prefix, "prefix")).matcher(topic);
        return m.matches() ? Optional.of(m.group(1) + "." + m.group(2)) : Optional.empty();
    }

    /** Returns a human description of the change topics of a prefix, {@code <prefix>.<schema>.<table>}. */
    public static String describe(String prefix) {
        return prefix + ".<schema>.<table>";
    }
}
