package dev.commitcast.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.cdc.engine.PreflightRules;
import dev.commitcast.cdc.testsupport.CdcTestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Files;
import java.nio.file.Path;

/** Start-up checks turn an unusable environment into one actionable message, before any engine starts. */
class PreflightIT {
    private static CdcTestDatabase migrated;

    @BeforeAll
    static void database() {
        migrated = CdcTestDatabase.migrated("preflight");
    }

    @AfterAll
    static void drop() {
        migrated.close();
    }

    @Test
    void aDatabaseWithoutThePublicationIsRejectedWithTheMigrationHint() {
        try (CdcTestDatabase empty = CdcTestDatabase.empty("nopub")) {
            CdcSettings settings = empty.settings().build();
            CdcConnector connector = CdcConnector.create(settings, new SimpleMeterRegistry(), Clock.systemUTC());
            CdcStartupException e = assertThrows(CdcStartupException.class, connector::start);
            assertEquals(PreflightRules.publicationMissing("commitcast_pub", settings.postgres()), e.getMessage());
            assertTrue(e.getMessage().contains("run the migrations"), e.getMessage());
            assertEquals(CdcStatus.State.FAILED, connector.status().state());
            assertEquals(0, slotCount(empty, settings.slotName()), "no slot is created by a failed start");
            connector.close();
        }
    }

    @Test
    void aWrongPasswordFailsAtOnceWithoutWaitingForTheStartupTimeout() {
        CdcSettings settings = migrated.settings().password("not-the-password")
                .startupTimeout(Duration.ofSeconds(60)).build();
        CdcConnector connector = CdcConnector.create(settings, new SimpleMeterRegistry(), Clock.systemUTC());
        long started = System.nanoTime();
        CdcStartupException e = assertThrows(CdcStartupException.class, connector::start);
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(20)) < 0,
                "permanent: no retry loop");
        assertTrue(e.getMessage().startsWith("Postgres at " + settings.postgres().describe() + " rejected user '"
                + settings.user() + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("COMMITCAST_PG_PASSWORD"), e.getMessage());
    }

    @Test
    void anUnreachableKafkaIsRetriedUntilTheStartupTimeoutThenReported() throws IOException {
        int closedPort = freePort();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CdcSettings settings = migrated.settings().kafkaBootstrap("127.0.0.1:" + closedPort)
                .startupTimeout(Duration.ofSeconds(3)).build();
        CdcConnector connector = CdcConnector.create(settings, registry, Clock.systemUTC());
        CdcStartupException e = assertThrows(CdcStartupException.class, connector::start);
        assertTrue(e.getMessage().startsWith("Kafka at 127.0.0.1:" + closedPort + " not reachable within "
                + "commitcast.cdc.startup-timeout = 3 s"), e.getMessage());
        assertTrue(e.getMessage().contains("COMMITCAST_KAFKA_BOOTSTRAP"), e.getMessage());
        assertTrue(registry.find("commitcast.cdc.startup.retries").tag("dependency", "kafka").counter().count() >= 1,
                "retries are counted");
    }

    @Test
    void anUnreachablePostgresIsRetriedUntilTheStartupTimeoutThenReported() throws IOException {
        int closedPort = freePort();
        CdcSettings settings = migrated.settings()
                .jdbcUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/" + migrated.database())
                .startupTimeout(Duration.ofSeconds(2)).build();
        CdcConnector connector = CdcConnector.create(settings, new SimpleMeterRegistry(), Clock.systemUTC());
        CdcStartupException e = assertThrows(CdcStartupException.class, connector::start);
        assertTrue(e.getMessage().startsWith("Postgres at 127.0.0.1:" + closedPort + "/" + migrated.database()
                + " not reachable within commitcast.cdc.startup-timeout = 2 s"), e.getMessage());
    }

    @Test
    void aRoleWithoutReplicationIsRejectedWithTheAlterRoleHint() throws SQLException {
        String role = "cdc_norepl_" + Long.toString(System.nanoTime(), 36);
        try (Connection c = migrated.connect(); Statement s = c.createStatement()) {
            try {
                s.execute("create role " + role + " login password 'pw' noreplication");
            } catch (SQLException e) {
                Assumptions.abort("the dev stack role cannot create roles: " + e.getMessage());
            }
            s.execute("grant select on all tables in schema public to " + role);
            try {
                CdcSettings settings = migrated.settings().user(role).password("pw").build();
                CdcConnector connector = CdcConnector.create(settings, new SimpleMeterRegistry(), Clock.systemUTC());
                CdcStartupException e = assertThrows(CdcStartupException.class, connector::start);
                assertEquals("Role '" + role + "' lacks the REPLICATION attribute needed to stream changes from "
                        + settings.postgres().describe() + ": run ALTER ROLE \"" + role + "\" WITH REPLICATION; as a "
                        + "superuser, or set COMMITCAST_PG_USER to a role that has it.", e.getMessage());
            } finally {
                s.execute("revoke all on all tables in schema public from " + role);
                s.execute("drop role " + role);
            }
        }
    }

    /**
     * The database is held against the rules file before streaming starts (the same check as {@code ./commitcast
     * rules check --db}): a table whose before images lack a bound column, and a publication that misses a ruled
     * table, are refused with the SQL that fixes them.
     */
    @Test
    void aDatabaseThatDoesNotMatchTheRulesIsRefusedWithTheSqlThatFixesIt() {
        try (CdcTestDatabase db = CdcTestDatabase.migrated("preflight_rules")) {
            db.execute("alter table users replica identity default",
                    "alter publication commitcast_pub drop table role_permissions");
            CdcSettings settings = db.settings().build();
            CdcConnector connector = CdcConnector.create(settings, new SimpleMeterRegistry(), Clock.systemUTC());
            CdcStartupException e = assertThrows(CdcStartupException.class, connector::start);
            assertTrue(e.getMessage().contains("public.users: the rules read columns [org_id] of before images, which "
                    + "REPLICA IDENTITY DEFAULT leaves out") && e.getMessage().contains("fix: ALTER TABLE public.users "
                    + "REPLICA IDENTITY FULL;"), e.getMessage());
            assertTrue(e.getMessage().contains("does not capture public.role_permissions")
                    && e.getMessage().contains("fix: ALTER PUBLICATION commitcast_pub ADD TABLE "
                    + "public.role_permissions;"), e.getMessage());
            assertEquals(0, slotCount(db, settings.slotName()), "no slot is created by a refused start");
            connector.close();
        }
    }

    @Test
    void anInvalidRulesFileIsRefusedNamingFileAndLine(@TempDir Path dir) throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yml"), """
                keyspace: { prefix: cc, version: 1 }
                kinds:
                  user: { key: "user:{id}", parts: { id: bigint }, ttl: 1m }
                tables:
                  public.users: { invalidate: [ { kind: user, bind: { uid: id } } ] }
                """);
        CdcConnector connector = CdcConnector.create(migrated.settings().rules(rules).build(),
                new SimpleMeterRegistry(), Clock.systemUTC());
        CdcStartupException e = assertThrows(CdcStartupException.class, connector::start);
        assertTrue(e.getMessage().contains(rules + ":5: tables.public.users.invalidate[0].bind"), e.getMessage());
        connector.close();
    }

    private static int slotCount(CdcTestDatabase db, String slot) {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from pg_replication_slots where slot_name = '" + slot + "'")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
