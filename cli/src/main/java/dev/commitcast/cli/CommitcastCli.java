package dev.commitcast.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.nio.file.Path;

/**
 * {@code ./commitcast}: runs the local platform. Each subcommand exits 0 on success and non-zero with a message on
 * stderr otherwise (2 for bad usage, picocli's convention).
 */
@Command(name = "commitcast", mixinStandardHelpOptions = true, version = "commitcast 0.1.0",
        description = "Run the Commitcast platform locally.",
        subcommands = {UpCommand.class, DownCommand.class, EnvCommand.class})
public final class CommitcastCli implements Runnable {
    /** Where the launcher keeps the running platform's state, data and logs; the script sets it to {@code .commitcast}. */
    static final String HOME_PROPERTY = "commitcast.home";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new CommitcastCli());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("commitcast " + cmd.getCommandName() + ": " + describe(e));
            return 1;
        });
        return commandLine;
    }

    static Path home() {
        return Path.of(System.getProperty(HOME_PROPERTY, ".commitcast")).toAbsolutePath().normalize();
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.toString() : message;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: one of up, down, env");
    }
}
