package dev.commitcast.cli.platform;

/** Turns a failure into the short message a command prints. */
public final class Failures {
    private Failures() {
    }

    /** The innermost cause's message (e.g. {@code Connection refused}), or its class name when it has none. */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
