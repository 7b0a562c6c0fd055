package dev.commitcast.cli.rules;

import dev.commitcast.cli.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code rules}: check a rules file (against a database too) and run the examples written next to it. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Check a rules file, run the rule tests written next to it, print the grants it needs.",
        subcommands = {RulesCheckCommand.class, RulesTestCommand.class, RulesGrantsCommand.class},
        footer = {"%nExamples:",
                "  ./commitcast rules check --rules examples/orgs-demo/rules.yml",
                "  ./commitcast rules check --db \"$COMMITCAST_PG_URL\"",
                "  ./commitcast rules test examples/orgs-demo/rules.test.yml",
                "  ./commitcast rules grants --rules examples/orgs-demo/rules.yml",
                ExitCodes.HELP})
public final class RulesCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: check, test or grants");
    }
}
