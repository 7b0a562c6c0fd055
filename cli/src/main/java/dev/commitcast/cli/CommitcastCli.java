package dev.commitcast.cli;

import dev.commitcast.cli.cache.FlushCommand;
import dev.commitcast.cli.cache.WarmCommand;
import dev.commitcast.cli.events.RecordCommand;
import dev.commitcast.cli.events.ReplayCommand;
import dev.commitcast.cli.rules.RulesCommand;
import dev.commitcast.cli.status.StatusCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.nio.file.Path;

/**
 * {@code ./commitcast}: runs the local platform and operates it. Each subcommand exits 0 on success and non-zero
 * with a message on stderr otherwise ({@link ExitCodes}: 1 failed, 2 bad usage as is picocli's convention, 3 done
 * with reported problems).
 */
@Command(name = "commitcast", mixinStandardHelpOptions = true, version = "commitcast 0.1.0",
        description = "Run the Commitcast platform locally, and operate it.",
        subcommands = {UpCommand.class, DownCommand.class, EnvCommand.class, StatusCommand.class, RecordCommand.class,
                ReplayCommand.class, WarmCommand.class, FlushCommand.class, RulesCommand.class})
public final class CommitcastCli implements Runnable {
    static {
        quietClientLogs();
    }

    /** Where the launcher keeps the running platform's state, data and logs; the script sets it to {@code .commitcast}. */
    static final String HOME_PROPERTY = "commitcast.home";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Invocation.defaultToJvmStart();
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new CommitcastCli());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("commitcast " + cmd.getCommandName() + ": "
                    + dev.commitcast.core.Secrets.redact(describe(e)));
            return 1;
        });
        return commandLine;
    }

    static Path home() {
        return Path.of(System.getProperty(HOME_PROPERTY, ".commitcast")).toAbsolutePath().normalize();
    }

    /**
     * Kafka's and Lettuce's clients log every connection attempt at INFO (and retry warnings at WARN) through
     * slf4j-simple to stderr, which would drown a command's own output; a command reports failures itself. Set before
     * any of their loggers exists; an explicit {@code -D} setting wins.
     */
    private static void quietClientLogs() {
        for (String logger : new String[] {"org.apache.kafka", "io.lettuce", "io.netty", "reactor"}) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "error");
            }
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.toString() : message;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing subcommand: one of up, down, env, status, record, replay, warm, flush, rules");
    }
}
