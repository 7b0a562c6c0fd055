package dev.commitcast.core.internal;

/** Quotes untrusted input for error messages. Internal to Commitcast; not an API. Stateless. */
public final class Quoting {

    /** Longer inputs are cut, so that a huge payload cannot flood a log line. */
    private static final int MAX_QUOTED = 160;

    private Quoting() {
    }

    /** Returns the input in double quotes, cut to {@value #MAX_QUOTED} characters with its length appended. */
    public static String quote(String input) {
        if (input == null) {
            return "null";
        }
        return input.length() <= MAX_QUOTED
                ? "\"" + input + "\""
                : "\"" + input.substring(0, MAX_QUOTED) + "...\" (" + input.length() + " chars)";
    }
}
