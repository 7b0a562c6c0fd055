package dev.commitcast.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.function.Consumer;

/**
 * Runs {@code ./commitcast} subcommands in this JVM, as the script would (same picocli setup and exception handler),
 * capturing stdout and stderr. The capture is thread-safe, so a test may read {@link Run#out()} of a command still
 * running in another thread.
 */
public final class CliRunner {
    private CliRunner() {
    }

    /** What a run printed and returned. */
    public static final class Run {
        private final StringWriter out = new StringWriter();
        private final StringWriter err = new StringWriter();
        private volatile int exit = -1;

        public int exit() {
            return exit;
        }

        public String out() {
            synchronized (out) {
                return out.toString();
            }
        }

        public String err() {
            synchronized (err) {
                return err.toString();
            }
        }

        /** Both streams, for assertion messages. */
        public String all() {
            return "exit " + exit + "\n--- stdout\n" + out() + "--- stderr\n" + err();
        }
    }

    public static Run run(String... args) {
        return run(commandLine -> { }, args);
    }

    /**
     * @param customize called before execution, e.g. to reach a subcommand's object:
     *                  {@code cl.getSubcommands().get("flush").getCommand()}
     */
    public static Run run(Consumer<CommandLine> customize, String... args) {
        return run(started -> { }, customize, args);
    }

    /**
     * @param started   gets the run before it executes, so another thread can follow its output
     * @param customize see {@link #run(Consumer, String...)}
     */
    public static Run run(Consumer<Run> started, Consumer<CommandLine> customize, String... args) {
        Run run = new Run();
        started.accept(run);
        CommandLine commandLine = CommitcastCli.commandLine();
        commandLine.setOut(new PrintWriter(locked(run.out), true));
        commandLine.setErr(new PrintWriter(locked(run.err), true));
        customize.accept(commandLine);
        run.exit = commandLine.execute(args);
        return run;
    }

    /** Returns the subcommand's user object. */
    @SuppressWarnings("unchecked")
    public static <T> T command(CommandLine commandLine, String name) {
        return (T) commandLine.getSubcommands().get(name).getCommand();
    }

    private static Writer locked(StringWriter target) {
        return new Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) {
                synchronized (target) {
                    target.write(buffer, offset, length);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}
