package dev.commitcast.cli.rules;

import dev.commitcast.cli.ExitCodes;
import dev.commitcast.core.Rules;
import dev.commitcast.core.RuleTests;
import dev.commitcast.core.RulesException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code rules test FILE...}: runs the examples of rule test files ({@link RuleTests}) against the rules each names
 * (or {@code --rules}), like {@code promtool test rules}: prints each failing example with a diff (keys and namespaces
 * expected but not invalidated, or invalidated but not expected) and exits 1 when any fails.
 */
@Command(name = "test", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Run rule tests: examples of row changes and the keys and namespaces they must invalidate.",
        footer = {"%nThe test file format is in docs/rules.md.",
                "%nExit codes: 0 every example holds, 1 one failed or a file is invalid, 2 bad usage."})
public final class RulesTestCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Rule test files.")
    List<Path> files;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "Test these rules instead of the file each test file names.")
    Path rules;

    @Option(names = "--verbose", description = "Also list the examples that pass.")
    boolean verbose;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int examples = 0;
        int failed = 0;
        boolean invalid = false;
        for (Path file : files) {
            RuleTests tests;
            try {
                tests = RuleTests.load(file, rules == null ? null : Rules.load(rules));
            } catch (RulesException e) {
                err.println(e.getMessage());
                invalid = true;
                continue;
            }
            for (RuleTests.Result result : tests.run()) {
                examples++;
                if (result.passed()) {
                    if (verbose) {
                        out.println("PASS " + file + ":" + result.line() + " " + result.name());
                    }
                    continue;
                }
                failed++;
                out.println("FAIL " + file + ":" + result.line() + " " + result.name() + " (rules "
                        + tests.rules().source() + ")");
                result.diff().forEach(line -> out.println("  " + line));
            }
        }
        out.println(examples + " examples, " + failed + " failed" + (invalid ? ", invalid test files above" : ""));
        out.flush();
        err.flush();
        return failed > 0 || invalid ? ExitCodes.FAILED : ExitCodes.OK;
    }
}
