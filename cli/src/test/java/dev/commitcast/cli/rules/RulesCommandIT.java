package dev.commitcast.cli.rules;

import dev.commitcast.cli.CliRunner;
import dev.commitcast.cli.ExitCodes;
import dev.commitcast.devstack.DevStack;
import dev.commitcast.devstack.PostgresEndpoint;
import dev.commitcast.testsupport.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./commitcast rules check|test}: the shipped examples pass, and each kind of mistake is named with its fix. */
class RulesCommandIT {

    @Test
    void theShippedRuleTestsOfBothExamplesPass() {
        CliRunner.Run run = CliRunner.run("rules", "test", "--verbose",
                Repo.root().resolve("examples/orgs-demo/rules.test.yml").toString(),
                Repo.root().resolve("examples/catalog/rules.test.yml").toString());
        assertEquals(ExitCodes.OK, run.exit(), run.all());
        assertTrue(run.out().matches("(?s).*\\d+ examples, 0 failed.*"), run.all());
        assertTrue(run.out().contains("PASS ") && run.out().contains("a user moving to another organisation busts "
                + "both organisations"), run.all());
    }

    @Test
    void aFailingExampleExitsOneWithADiff(@TempDir Path dir) throws Exception {
        Path tests = Files.writeString(dir.resolve("t.yml"), """
                rules: %s
                tests:
                  - name: forgot the first page
                    table: public.users
                    op: create
                    after: { id: 9, org_id: 42 }
                    expect: { keys: ["org:{42}:user:9"] }
                """.formatted(Repo.demoRulesFile()));
        CliRunner.Run run = CliRunner.run("rules", "test", tests.toString());
        assertEquals(ExitCodes.FAILED, run.exit(), run.all());
        assertTrue(run.out().contains("FAIL " + tests + ":3 forgot the first page"), run.all());
        assertTrue(run.out().contains("+ key org:{42}:users:first   (invalidated, not expected)"), run.all());
        assertTrue(run.out().contains("1 examples, 1 failed"), run.all());
    }

    @Test
    void anInvalidRulesFileIsListedWithLines(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.yml"), """
                keyspace: { prefix: cc, version: 1 }
                kinds:
                  user: { key: "user:{id}", parts: { id: bigint }, ttl: 0s }
                tables:
                  public.users: { invalidate: [ { kind: usr, bind: { id: id } } ] }
                """);
        CliRunner.Run run = CliRunner.run("rules", "check", "--rules", rules.toString());
        assertEquals(ExitCodes.FAILED, run.exit(), run.all());
        assertTrue(run.err().contains(rules + ":3: kinds.user.ttl: must be positive"), run.all());
        assertTrue(run.err().contains(rules + ":5: tables.public.users.invalidate[0].kind: unknown kind \"usr\""),
                run.all());
    }

    @Test
    void theCatalogRulesMatchItsMigrationAndEveryMismatchIsNamedWithItsFix() throws Exception {
        PostgresEndpoint pg = DevStack.shared().postgres();
        String db = pg.createDatabase("rules_check");
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute(Files.readString(Repo.root().resolve("examples/catalog/db/V1__catalog.sql")));
        }
        String url = "postgresql://" + pg.user() + "@" + pg.jdbcUrl(db).substring("jdbc:postgresql://".length());
        java.util.function.Consumer<picocli.CommandLine> password = cl -> ((RulesCheckCommand) cl
                .getSubcommands().get("rules").getSubcommands().get("check").getCommand())
                .environment = java.util.Map.of("COMMITCAST_PG_PASSWORD", pg.password());
        CliRunner.Run inline = CliRunner.run("rules", "check", "--rules", Repo.catalogRulesFile().toString(), "--db",
                "postgresql://" + pg.user() + ":" + pg.password() + "@" + url.substring(url.indexOf('@') + 1));
        assertEquals(ExitCodes.FAILED, inline.exit(), inline.all());
        assertTrue(inline.err().contains("the URL holds a password") && !inline.all().contains(pg.password() + "@"),
                inline.all());
        CliRunner.Run ok = CliRunner.run(password, "rules", "check", "--rules", Repo.catalogRulesFile().toString(),
                "--db", url);
        assertEquals(ExitCodes.OK, ok.exit(), ok.all());
        assertTrue(ok.out().contains("matches the rules"), ok.all());
        assertTrue(ok.out().contains("kind price: cat:v1:product:{product}:price:{currency}"), ok.all());
        assertTrue(!ok.all().contains(":" + pg.password() + "@"), "the password is never printed: " + ok.all());

        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            s.execute("alter table catalog.products replica identity default");
            s.execute("alter publication commitcast_pub drop table catalog.prices");
            s.execute("create table catalog.audit (id bigint primary key)");
            s.execute("alter publication commitcast_pub add table catalog.audit");
            s.execute("alter table catalog.product_images rename column product_id to product");
        }
        CliRunner.Run bad = CliRunner.run(password, "rules", "check", "--rules", Repo.catalogRulesFile().toString(),
                "--db", url);
        assertEquals(ExitCodes.FAILED, bad.exit(), bad.all());
        String out = bad.out();
        assertTrue(out.contains("ERROR catalog.products: the rules read columns [category_id, sku] of before "
                + "images") && out.contains("fix: ALTER TABLE catalog.products REPLICA IDENTITY FULL;"), out);
        assertTrue(out.contains("does not capture catalog.prices")
                && out.contains("fix: ALTER PUBLICATION commitcast_pub ADD TABLE catalog.prices;"), out);
        assertTrue(out.contains("captures catalog.audit, which has no rules")
                && out.contains("fix: ALTER PUBLICATION commitcast_pub DROP TABLE catalog.audit;"), out);
        assertTrue(out.contains("ERROR catalog.product_images.product_id: a rule binds this column, but the table has "
                + "no such column"), out);
    }
}
