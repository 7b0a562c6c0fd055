package dev.commitcast.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.devstack.DevStack;
import dev.commitcast.devstack.DevStackOptions;
import dev.commitcast.devstack.PostgresEndpoint;
import dev.commitcast.devstack.ServerKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10.3 / ADR-0008: a commit decoded before it is visible. Postgres flushes a commit record, then (under
 * synchronous replication) waits for the standby, and only then makes the transaction visible; logical decoding sends
 * the commit as soon as it is flushed locally. The primary here has a synchronous standby, {@code pg_receivewal}, that
 * the tests hold back; a commit is held in that window while both API instances read the row. Without the connector's
 * visibility check the invalidation lands in the window, the readers fill the old row back, and it stays stale for the
 * whole TTL (10 min here) — these tests then fail. The primary is a Postgres of its own: synchronous_standby_names
 * applies to the whole cluster.
 */
class CommitVisibilityIT {
    private static final String STANDBY = "commitcast_e2e_standby";
    private static final Duration WINDOW = Duration.ofMillis(2500);
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(30);

    private static DevStack primary;
    private static Process standby;
    private static Path walDir;
    private static Platform platform;

    @BeforeAll
    static void start() throws Exception {
        primary = DevStack.start(DevStackOptions.builder().servers(ServerKind.POSTGRES).build());
        PostgresEndpoint pg = primary.postgres();
        try (Connection c = pg.connect(pg.database()); Statement s = c.createStatement()) {
            s.execute("select pg_create_physical_replication_slot('" + STANDBY + "', true)");
        }
        walDir = Files.createTempDirectory("e2e-standby-wal");
        standby = startStandby(pg);
        // Every commit from now on waits for the standby: append the setting and reload (SIGHUP, as pg_ctl reload).
        Path dataDir = primary.workDir().resolve("postgres").resolve("data");
        Files.writeString(dataDir.resolve("postgresql.conf"), "\nsynchronous_standby_names = '" + STANDBY + "'\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Signals.send("HUP", Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst().trim()));
        Wait.until("synchronous_standby_names is in effect", Duration.ofSeconds(30),
                () -> STANDBY.equals(setting(pg, "synchronous_standby_names")));
        // Only a superuser sees pg_stat_replication.sync_state; a commit that completes proves the standby confirms.
        CompletableFuture<Void> probe = CompletableFuture.runAsync(() -> setting(pg, "txid_current()"));
        try {
            probe.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("a commit waited 30 s for the synchronous standby (pg_receivewal "
                    + (standby.isAlive() ? "running" : "exited") + ", log: " + standbyLog() + ")");
        }

        Map<String, String> properties = new HashMap<>(EndToEndIT.LONG_TTLS);
        properties.put("commitcast.staleness.budget", "3s");
        platform = Platform.start("visibility", 2, properties, pg);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (standby != null) {
                Signals.send("CONT", standby.pid());
            }
            if (platform != null) {
                platform.close();
            }
            if (standby != null) {
                standby.destroy();
                standby.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            if (primary != null) {
                primary.close();
            }
            if (walDir != null) {
                try (Stream<Path> files = Files.walk(walDir)) {
                        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
                Files.deleteIfExists(standbyLogFile());
            }
        }
    }

    @Test
    void aCommitHeldForItsSynchronousStandbyIsNotUndoneByReadsInTheWindow() throws Exception {
        // synchronous_commit = on: the backend waits until the standby flushed; the standby is frozen (SIGSTOP).
        heldCommitIsNotUndone(2, 4, "on", () -> Signals.send("STOP", standby.pid()),
                () -> Signals.send("CONT", standby.pid()));
    }

    @Test
    void aCommitHeldForRemoteApplyIsNotUndoneByReadsInTheWindow() throws Exception {
        // remote_apply: pg_receivewal never reports an apply position, so the backend waits until it is cancelled,
        // which ends the wait with the transaction committed ("committed locally, but might not have been
        // replicated").
        heldCommitIsNotUndone(3, 4, "remote_apply", () -> { }, CommitVisibilityIT::cancelSyncRepWaits);
    }

    @Test
    void theWatermarkMovesWhileTheSynchronousStandbyIsFrozenAndNothingIsWritten() throws Exception {
        String path = "/v1/orgs/1/users/" + Platform.DATA.userId(1, 2);
        EndToEndIT.warmL1(platform, path);
        Signals.send("STOP", standby.pid());
        try {
            long before = platform.watermark().lsn();
            Instant beforeAt = Instant.now();
            // Well past the 3 s staleness budget: a heartbeat that waited for the standby would stall the watermark
            // and send every instance to BYPASS, though nothing changed.
            Wait.until("the watermark moves on without the standby", Duration.ofSeconds(15),
                    () -> platform.watermark().lsn() > before
                            && Duration.between(beforeAt, Instant.now()).toMillis() > 5000);
            for (Api api : platform.apis()) {
                Api.Reply reply = api.get(path);
                assertTrue(reply.trusted(), api + " still trusts its caches: " + reply);
            }
        } finally {
            Signals.send("CONT", standby.pid());
        }
    }

    private void heldCommitIsNotUndone(int org, int n, String synchronousCommit, Action hold, Action release)
            throws Exception {
        long user = Platform.DATA.userId(org, n);
        String path = "/v1/orgs/" + org + "/users/" + user;
        String newName = "Visible " + synchronousCommit;
        EndToEndIT.warmL1(platform, path);
        String oldBody = platform.api(0).get(path).body();
        assertFalse(oldBody.contains(newName));

        hold.run();
        CompletableFuture<Void> writer;
        try {
            writer = CompletableFuture.runAsync(() -> {
                try (Connection c = platform.sql(); Statement s = c.createStatement()) {
                    s.execute("set application_name = 'e2e-held-writer'");
                    s.execute("set synchronous_commit = " + synchronousCommit);
                    s.execute("update users set display_name = '" + newName + "' where id = " + user);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Wait.until("the writer waits for its synchronous standby", Duration.ofSeconds(10),
                    () -> waitingOnSyncRep() > 0);

            // The window: the commit is flushed (and decodable) but not visible. Readers keep reading.
            List<Api.Reply> during = new ArrayList<>();
            Instant end = Instant.now().plus(WINDOW);
            while (Instant.now().isBefore(end)) {
                for (Api api : platform.apis()) {
                    during.add(api.get(path));
                }
                Thread.sleep(50);
            }
            assertFalse(writer.isDone(), "the commit must still be held at the end of the window");
            for (Api.Reply reply : during) {
                assertEquals(200, reply.status(), reply.toString());
                assertFalse(reply.body().contains(newName), "not visible yet, so no reader can see it: " + reply);
            }
        } finally {
            release.run();
        }
        writer.get(30, TimeUnit.SECONDS);
        long committed = platform.currentLsn();
        platform.awaitWatermarkPast(committed, VISIBLE_WITHIN);

        for (Api api : platform.apis()) {
            Api.Reply reply = Wait.until(api + " trusts its caches again", VISIBLE_WITHIN, () -> api.get(path),
                    Api.Reply::trusted);
            assertTrue(reply.body().contains(newName), api + " serves the value from before the commit: " + reply);
            reply = api.get(path);
            assertTrue(reply.body().contains(newName), api + " serves the value from before the commit: " + reply);
        }
    }

    private static Process startStandby(PostgresEndpoint pg) throws IOException {
        String receiver = postgresBinary("pg_receivewal");
        ProcessBuilder builder = new ProcessBuilder(receiver, "-D", walDir.toString(), "--slot=" + STANDBY,
                "--synchronous", "--no-password", "-d", "host=" + pg.host() + " port=" + pg.port() + " user="
                + pg.user() + " application_name=" + STANDBY);
        builder.environment().put("PGPASSWORD", pg.password());
        builder.redirectErrorStream(true).redirectOutput(standbyLogFile().toFile());
        return builder.start();
    }

    /** {@code pg_receivewal} next to the Postgres the dev stack uses: COMMITCAST_PG_BINDIR, PATH, Debian's path. */
    private static String postgresBinary(String name) {
        Optional<Path> fromEnv = Optional.ofNullable(System.getenv(DevStackOptions.ENV_PG_BINDIR)).map(Path::of)
                .map(dir -> dir.resolve(name)).filter(Files::isExecutable);
        if (fromEnv.isPresent()) {
            return fromEnv.get().toString();
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            Optional<Path> debian = versions.map(v -> v.resolve("bin").resolve(name)).filter(Files::isExecutable)
                    .max(Comparator.naturalOrder());
            if (debian.isPresent()) {
                return debian.get().toString();
            }
        } catch (IOException e) {
            // not a Debian layout
        }
        return name;
    }

    private static Path standbyLogFile() {
        return walDir.resolveSibling(walDir.getFileName() + ".log");
    }

    private static String standbyLog() {
        try {
            return Files.readString(standbyLogFile()).strip();
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** {@code select <expression>} (in autocommit) as text; a setting when given its name. */
    private static String setting(PostgresEndpoint pg, String expression) {
        String sql = expression.endsWith(")") ? "select " + expression + "::text" : "show " + expression;
        try (Connection c = pg.connect(pg.database()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static int waitingOnSyncRep() {
        try (Connection c = platform.sql(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from pg_stat_activity "
                     + "where application_name = 'e2e-held-writer' and wait_event = 'SyncRep'")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void cancelSyncRepWaits() {
        try (Connection c = platform.sql(); Statement s = c.createStatement()) {
            s.execute("select pg_cancel_backend(pid) from pg_stat_activity "
                    + "where application_name = 'e2e-held-writer' and wait_event = 'SyncRep'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface Action {
        void run();
    }
}
