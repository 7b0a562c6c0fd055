package dev.commitcast.cli.rules;

import dev.commitcast.cli.ExitCodes;
import dev.commitcast.cli.platform.Endpoints;
import dev.commitcast.cli.platform.RulesOptions;
import dev.commitcast.core.KeyKind;
import dev.commitcast.core.Rules;
import dev.commitcast.core.RulesDatabaseCheck;
import dev.commitcast.core.RulesException;
import dev.commitcast.core.TableRule;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code rules check}: loads and validates a rules file (every problem with its line), prints what it declares, and
 * with {@code --db} holds it against a live database ({@link RulesDatabaseCheck}: tables, columns and their types,
 * replica identity, the publication), printing the SQL that fixes each problem. The connector runs the same check
 * before it starts. Exit code 0 when usable, 1 otherwise.
 */
@Command(name = "check", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Validate a rules file; with --db, also against a live database (prints the SQL to fix it).",
        footer = {"%nExit codes: 0 the rules are usable, 1 they are not (problems listed), 2 bad usage."})
public final class RulesCheckCommand implements Callable<Integer> {

    @Mixin
    RulesOptions rules;

    @Option(names = "--db", paramLabel = "URL",
            description = "A Postgres to check against: postgresql://user@host:port/db or a jdbc: URL; the password "
                    + "comes from COMMITCAST_PG_PASSWORD, COMMITCAST_PG_PASSWORD_FILE or PGPASSWORD, never the "
                    + "command line.")
    String db;

    @Option(names = "--publication", paramLabel = "NAME", defaultValue = "commitcast_pub",
            description = "The publication the connector streams (default: ${DEFAULT-VALUE}).")
    String publication;

    @Spec
    CommandLine.Model.CommandSpec spec;

    Endpoints endpoints = Endpoints.ofRunningPlatform();
    /** Where the password is read from; a seam for tests. */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() throws SQLException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Rules loaded;
        try {
            loaded = rules.load(endpoints, null);
        } catch (RulesException e) {
            err.println(e.getMessage());
            err.flush();
            return ExitCodes.FAILED;
        }
        out.println("rules " + loaded.source() + ": valid; key space " + loaded.keySpace().keyPrefix()
                + ", fingerprint " + loaded.fingerprint());
        for (KeyKind kind : loaded.kinds()) {
            out.println("  kind " + kind.name() + ": " + loaded.keySpace().keyPrefix() + kind.template() + ", ttl "
                    + kind.ttl().toString().substring(2).toLowerCase(java.util.Locale.ROOT));
        }
        for (TableRule table : loaded.tables()) {
            out.println("  table " + table.qualifiedName() + " -> " + table.kinds().stream().map(KeyKind::name)
                    .toList() + ", reads " + table.readColumns().keySet());
        }
        if (db == null) {
            out.flush();
            return ExitCodes.OK;
        }
        List<RulesDatabaseCheck.Finding> findings;
        Jdbc target = Jdbc.parse(db, environment);
        try (Connection connection = DriverManager.getConnection(target.url(), target.properties())) {
            findings = RulesDatabaseCheck.check(loaded, connection, publication);
        }
        if (findings.isEmpty()) {
            out.println("database " + target.describe() + ": matches the rules (tables, columns, replica identity, "
                    + "publication " + publication + ")");
        } else {
            out.println("database " + target.describe() + ":");
            findings.forEach(f -> out.println("  " + f.toString().replace("\n", "\n  ")));
        }
        boolean errors = RulesDatabaseCheck.hasErrors(findings);
        out.println(errors ? "the rules do not match the database: fix the errors above" : "usable");
        out.flush();
        return errors ? ExitCodes.FAILED : ExitCodes.OK;
    }
}
