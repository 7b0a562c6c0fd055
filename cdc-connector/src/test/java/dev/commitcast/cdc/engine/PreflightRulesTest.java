package dev.commitcast.cdc.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.cdc.CdcSettings;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PreflightRulesTest {
    private static final CdcSettings SETTINGS = CdcSettings.builder()
            .jdbcUrl("jdbc:postgresql://pg.example:5432/app").user("cdc").kafkaBootstrap("k:9092").rules(java.nio.file.Path.of("rules.yml")).build();
    private static final List<String> TABLES = List.of("public.orgs", "public.users");

    private static PostgresFacts facts(String walLevel, boolean replication, boolean publication,
                                       List<String> tables, Optional<String> slotPlugin) {
        return new PostgresFacts(walLevel, replication, "cdc", publication, tables, slotPlugin);
    }

    @Test
    void aReadyServerHasNoProblems() {
        assertEquals(List.of(), PreflightRules.problems(facts("logical", true, true, TABLES,
                Optional.of("pgoutput")), SETTINGS));
    }

    @Test
    void walLevelReplicaIsReportedWithTheExactFix() {
        assertEquals(List.of("Postgres at pg.example:5432/app has wal_level = 'replica', but logical decoding "
                        + "needs 'logical': set wal_level=logical in postgresql.conf (or run ALTER SYSTEM SET "
                        + "wal_level = logical;) and restart Postgres."),
                PreflightRules.problems(facts("replica", true, true, TABLES, Optional.empty()), SETTINGS));
    }

    @Test
    void aMissingPublicationPointsAtTheMigrations() {
        assertEquals(List.of("Publication 'commitcast_pub' does not exist in pg.example:5432/app: run the "
                        + "migrations (dev.commitcast.schema.Migrations.apply, or ./commitcast up), which create it "
                        + "with the five read-model tables; the connector never creates publications "
                        + "(publication.autocreate.mode=disabled)."),
                PreflightRules.problems(facts("logical", true, false, List.of(), Optional.empty()), SETTINGS));
    }

    @Test
    void aRoleWithoutReplicationGetsTheAlterRoleCommand() {
        List<String> problems = PreflightRules.problems(facts("logical", false, true, TABLES, Optional.empty()),
                SETTINGS);
        assertEquals(1, problems.size());
        assertTrue(problems.getFirst().contains("ALTER ROLE \"cdc\" WITH REPLICATION;"), problems.getFirst());
    }

    @Test
    void aSlotOfAnotherPluginAndEveryOtherProblemAreAllReported() {
        List<String> problems = PreflightRules.problems(facts("minimal", false, true, List.of(),
                Optional.of("test_decoding")), SETTINGS);
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(3).contains("SELECT pg_drop_replication_slot('commitcast_slot');"));
    }
}
