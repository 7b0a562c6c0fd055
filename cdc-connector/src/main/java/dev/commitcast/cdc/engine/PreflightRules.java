package dev.commitcast.cdc.engine;

import dev.commitcast.cdc.CdcSettings;
import dev.commitcast.cdc.config.PostgresUrl;
import java.util.ArrayList;
import java.util.List;

/** Turns {@link PostgresFacts} into actionable problems: what is wrong, where, and the command that fixes it. */
public final class PreflightRules {

    private PreflightRules() {
    }

    /** Every problem found, in the order an operator should fix them; empty when streaming can start. */
    public static List<String> problems(PostgresFacts facts, CdcSettings settings) {
        PostgresUrl pg = settings.postgres();
        List<String> problems = new ArrayList<>();
        if (!"logical".equals(facts.walLevel())) {
            problems.add(walLevel(facts.walLevel(), pg));
        }
        if (!facts.replicationRole()) {
            problems.add("Role '" + facts.user() + "' lacks the REPLICATION attribute needed to stream changes "
                    + "from " + pg.describe() + ": run ALTER ROLE \"" + facts.user() + "\" WITH REPLICATION; "
                    + "as a superuser, or set COMMITCAST_PG_USER to a role that has it.");
        }
        if (!facts.publicationExists()) {
            problems.add(publicationMissing(settings.publication(), pg));
        } else if (facts.publicationTables().isEmpty()) {
            problems.add("Publication '" + settings.publication() + "' in " + pg.describe() + " contains no "
                    + "tables, so no change would ever be captured: run the migrations (they create it with the "
                    + "five read-model tables).");
        }
        facts.slotPlugin().filter(plugin -> !"pgoutput".equals(plugin)).ifPresent(plugin -> problems.add(
                "Replication slot '" + settings.slotName() + "' exists with output plugin '" + plugin
                        + "', but this connector decodes with pgoutput: drop it (SELECT pg_drop_replication_slot('"
                        + settings.slotName() + "');) or set commitcast.cdc.slot-name to another slot."));
        return problems;
    }

    /** The message for a server whose {@code wal_level} is not {@code logical}. */
    public static String walLevel(String actual, PostgresUrl pg) {
        return "Postgres at " + pg.describe() + " has wal_level = '" + actual + "', but logical decoding needs "
                + "'logical': set wal_level=logical in postgresql.conf (or run ALTER SYSTEM SET wal_level = "
                + "logical;) and restart Postgres.";
    }

    /** The message for a database without the publication. */
    public static String publicationMissing(String publication, PostgresUrl pg) {
        return "Publication '" + publication + "' does not exist in " + pg.describe() + ": run the migrations "
                + "(dev.commitcast.schema.Migrations.apply, or ./commitcast up), which create it with the five "
                + "read-model tables; the connector never creates publications (publication.autocreate.mode="
                + "disabled).";
    }
}
