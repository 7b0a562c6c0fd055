package dev.commitcast.cli;

/**
 * Exit codes shared by every {@code ./commitcast} subcommand, so scripts can tell "it failed" from "it ran but found
 * problems".
 */
public final class ExitCodes {
    /** Done, nothing to report. */
    public static final int OK = 0;
    /** Failed: nothing or only part was done (unreachable service, missing file, no running platform, refused). */
    public static final int FAILED = 1;
    /** Bad usage: unknown or invalid flag (picocli's convention). */
    public static final int USAGE = 2;
    /**
     * Done, with problems it reported: {@code replay} skipped malformed lines, {@code status} found a service DOWN,
     * {@code warm} got errors from an instance.
     */
    public static final int PARTIAL = 3;

    /** The exit-code section of every operator command's help. */
    public static final String HELP = "%nExit codes:%n  0  done%n  1  failed (unreachable service, missing file, "
            + "no running platform, refused)%n  2  bad usage%n  3  done, with problems it reported";

    private ExitCodes() {
    }
}
