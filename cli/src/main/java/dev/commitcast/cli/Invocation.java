package dev.commitcast.cli;

import java.lang.management.ManagementFactory;
import java.time.Instant;

/**
 * When the user invoked the command: the {@code ./commitcast} script passes the moment it started as
 * {@value #PROPERTY} (epoch milliseconds), because the JVM needs a second or two to start and a command like
 * {@code record} must not miss what happened meanwhile. Without the property (the launcher's main class started by
 * hand), the JVM's own start time; in a test that runs commands in its JVM, {@link #instant()} is what that test's
 * command sees only if the property was set, else the moment of the call.
 */
public final class Invocation {
    /** System property holding the invocation time in epoch milliseconds. */
    public static final String PROPERTY = "commitcast.invokedAtMillis";

    private Invocation() {
    }

    /** Sets {@link #PROPERTY} to the JVM's start time unless the script set it; called by {@code main} only. */
    static void defaultToJvmStart() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, Long.toString(ManagementFactory.getRuntimeMXBean().getStartTime()));
        }
    }

    /** The invocation time, or now when unknown (see the class documentation). */
    public static Instant instant() {
        String value = System.getProperty(PROPERTY);
        if (value != null) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(value.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("-D" + PROPERTY + "=" + value + " is not epoch milliseconds", e);
            }
        }
        return Instant.now();
    }
}
