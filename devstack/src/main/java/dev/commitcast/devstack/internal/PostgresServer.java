package dev.commitcast.devstack.internal;

import dev.commitcast.devstack.DevStackException;
import dev.commitcast.devstack.PostgresEndpoint;
import dev.commitcast.devstack.ServerKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A private Postgres cluster under {@code <workDir>/postgres}: initdb once, then {@code postgres -D data} as a child
 * process (as the {@code postgres} OS user via runuser when this JVM is root, since Postgres refuses root).
 * Ready = a JDBC connection as the application role succeeded. Stop = {@code pg_ctl stop -m fast} (smart shutdown
 * would wait forever for replication clients such as Debezium).
 */
public final class PostgresServer extends LocalServer implements ProvidedServer<PostgresEndpoint> {
    public static final String APP_USER = "commitcast";
    public static final String APP_PASSWORD = "commitcast";
    public static final String APP_DATABASE = "commitcast";
    static final String OS_USER = "postgres";
    private static final String SUPERUSER = "postgres";
    private static final Duration RETRY = Duration.ofMillis(50);
    private static final int PROBE_CONNECT_TIMEOUT_SECONDS = 2;
    private static final int MAX_SOCKET_PATH = 107;
    /** SQLSTATEs that mean "not up yet": connection refused/failed, starting up / shutting down. */
    private static final Set<String> NOT_READY_STATES = Set.of("08001", "08006", "57P03");

    private final Path binDir;
    private final Path baseDir;
    private final Path dataDir;
    private final Path socketDir;
    private final Path logFile;
    private final String osUser;
    private final String superPassword;
    private volatile boolean initializedHere;
    private final ServerPort port;

    public PostgresServer(StackContext ctx, Path binDir) {
        super(ServerKind.POSTGRES, ctx);
        this.binDir = binDir;
        this.baseDir = ctx.workDir().resolve("postgres");
        this.dataDir = baseDir.resolve("data");
        this.socketDir = baseDir.resolve("run");
        this.logFile = baseDir.resolve("postgres.log");
        this.osUser = OsUser.isRoot() ? OS_USER : null;
        this.port = new ServerPort(ctx.options().postgresPort());
        this.superPassword = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    }

    @Override
    public PostgresEndpoint endpoint() {
        return new JdbcPostgresEndpoint(Ports.LOOPBACK, port.number(), APP_USER, APP_PASSWORD, APP_DATABASE);
    }

    /** The superuser, when this object initialized the cluster (so knows its password). */
    public java.util.Optional<PostgresEndpoint> superuserEndpoint() {
        return initializedHere ? java.util.Optional.of(new JdbcPostgresEndpoint(Ports.LOOPBACK, port.number(),
                SUPERUSER, superPassword, APP_DATABASE)) : java.util.Optional.empty();
    }

    @Override
    protected Path log() {
        return logFile;
    }

    @Override
    protected String pidName() {
        return osUser == null ? "postgres" : "postgres-launcher";
    }

    @Override
    protected boolean reassignPort() {
        return port.reassign();
    }

    @Override
    protected ChildProcess launch(Deadline deadline) {
        if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
            initialize(deadline);
        }
        List<String> command = List.of(binDir.resolve("postgres").toString(), "-D", dataDir.toString(),
                "-c", "port=" + port.number());
        return ChildProcess.start("postgres", OsUser.as(osUser, command), logFile, Map.of());
    }

    private void initialize(Deadline deadline) {
        try {
            Files.createDirectories(socketDir);
            Path pwFile = baseDir.resolve("superuser.pw");
            Files.writeString(pwFile, superPassword + "\n", StandardCharsets.UTF_8);
            if (osUser != null) {
                FileOwnership.handOver(List.of(baseDir, socketDir, pwFile), osUser);
                FileOwnership.requireWritableBy(osUser, baseDir, deadline);
            }
            List<String> initdb = List.of(binDir.resolve("initdb").toString(), "-D", dataDir.toString(),
                    "-U", SUPERUSER, "--pwfile=" + pwFile, "-A", "scram-sha-256", "-E", "UTF8", "--locale=C",
                    "--no-sync");
            int exit = ChildProcess.run("initdb", OsUser.as(osUser, initdb), logFile, deadline);
            Files.deleteIfExists(pwFile);
            initializedHere = exit == 0;
            if (exit != 0) {
                throw new DevStackException("initdb exited with code " + exit + " (" + String.join(" ", initdb) + ")"
                        + System.lineSeparator() + LogTail.describe(logFile));
            }
            Files.writeString(dataDir.resolve("postgresql.conf"), settings(), StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
            Files.writeString(dataDir.resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new DevStackException("Could not prepare the Postgres cluster in " + baseDir + ": " + e, e);
        }
    }

    // md5 also accepts SCRAM-stored passwords (it upgrades to SCRAM), so old and new clients both work.
    private static final String HBA = """
            # commitcast dev stack: password auth on loopback only, including replication (Debezium).
            # TYPE  DATABASE     USER  ADDRESS        METHOD
            local   all          all                  md5
            host    all          all   127.0.0.1/32   md5
            host    replication  all   127.0.0.1/32   md5
            """;

    private String settings() {
        String sockets = socketDir.toString().length() + "/.s.PGSQL.65535.lock".length() <= MAX_SOCKET_PATH
                ? socketDir.toString() : "";  // too long for a unix socket path: TCP only
        return """

                # --- commitcast dev stack (devstack module) ---
                # A throwaway dev/test cluster: durability is traded for speed (fsync and full_page_writes off).
                # A crash of the machine can corrupt it; never use these settings elsewhere.
                # synchronous_commit stays ON: logical decoding only sends WAL that is flushed, so an asynchronous
                # commit would reach the CDC pipeline up to wal_writer_delay (200 ms) late. With fsync off a
                # synchronous commit costs next to nothing.
                listen_addresses = '127.0.0.1'
                unix_socket_directories = '%s'
                wal_level = logical
                max_replication_slots = 20
                max_wal_senders = 20
                max_connections = 200
                shared_buffers = 64MB
                fsync = off
                full_page_writes = off
                timezone = 'UTC'
                """.formatted(sockets);
    }

    @Override
    protected void awaitReady(ChildProcess child, Deadline deadline) {
        boolean bootstrapped = Files.exists(baseDir.resolve("bootstrapped"));
        SQLException last = null;
        while (!deadline.expired()) {
            requireAlive(child);
            try {
                if (!bootstrapped) {
                    bootstrap();
                    bootstrapped = true;
                }
                try (Connection c = JdbcPostgresEndpoint.open(endpoint().jdbcUrl(APP_DATABASE), APP_USER, APP_PASSWORD,
                        PROBE_CONNECT_TIMEOUT_SECONDS); Statement s = c.createStatement()) {
                    s.execute("select 1");
                }
                registerPostmaster();
                return;
            } catch (SQLException e) {
                if (!NOT_READY_STATES.contains(e.getSQLState())) {
                    throw new DevStackException("JDBC error " + e.getSQLState() + " on 127.0.0.1:" + port.number()
                            + ": " + e.getMessage(), e);
                }
                last = e;
            }
            deadline.pause(RETRY, "Postgres on port " + port.number());
        }
        throw new DevStackException("no JDBC connection as " + APP_USER + " to 127.0.0.1:" + port.number() + " within "
                + deadline.budget() + (last == null ? "" : "; last error: " + last.getMessage()));
    }

    private void bootstrap() throws SQLException {
        String url = "jdbc:postgresql://" + Ports.LOOPBACK + ":" + port.number() + "/postgres";
        try (Connection c = JdbcPostgresEndpoint.open(url, SUPERUSER, superPassword, PROBE_CONNECT_TIMEOUT_SECONDS);
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + APP_USER + " LOGIN REPLICATION CREATEDB PASSWORD '" + APP_PASSWORD + "'");
            s.execute("CREATE DATABASE " + APP_DATABASE + " OWNER " + APP_USER);
        }
        try {
            Files.writeString(baseDir.resolve("bootstrapped"), APP_USER + "\n");
        } catch (IOException e) {
            throw new DevStackException("Could not write " + baseDir.resolve("bootstrapped") + ": " + e, e);
        }
    }

    /** Records the postmaster itself (the child is runuser when the JVM is root). */
    private void registerPostmaster() {
        if (osUser == null) {
            return;
        }
        try {
            String first = Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst().trim();
            ctx.pids().register("postgres", Long.parseLong(first));
        } catch (IOException | RuntimeException e) {
            throw new DevStackException("Could not read the postmaster pid from " + dataDir.resolve("postmaster.pid")
                    + ": " + e, e);
        }
    }

    @Override
    protected void shutdown(ChildProcess child, Deadline deadline) {
        long seconds = Math.max(1, deadline.remaining().toSeconds());
        List<String> stop = List.of(binDir.resolve("pg_ctl").toString(), "stop", "-D", dataDir.toString(),
                "-m", "fast", "-w", "-t", Long.toString(seconds), "-s");
        int exit = ChildProcess.run("pg_ctl stop", OsUser.as(osUser, stop), logFile, deadline);
        if (exit != 0 && child.isAlive()) {
            // pg_ctl found no running server (pid file gone) yet our child lives: signal it directly.
            child.terminate(deadline.remaining());
        }
        child.awaitExit(deadline.remaining());
    }

    @Override
    protected void afterExit() {
        super.afterExit();
        ctx.pids().unregister("postgres");
    }

    @Override
    public void close() {
        stop();
    }
}
