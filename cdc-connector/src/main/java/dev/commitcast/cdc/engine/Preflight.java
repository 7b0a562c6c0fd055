package dev.commitcast.cdc.engine;

import dev.commitcast.cdc.CdcSettings;
import dev.commitcast.cdc.CdcStartupException;
import dev.commitcast.cdc.config.PostgresUrl;
import dev.commitcast.cdc.publish.KafkaClients;
import dev.commitcast.core.Rules;
import dev.commitcast.core.RulesDatabaseCheck;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up checks, run before the engine starts so that a misconfiguration is reported once, in words an operator
 * can act on, instead of as a Debezium stack trace in a retry loop.
 *
 * <p>Unreachable servers (connection refused, timeouts, broker not available) are retried with exponential back-off
 * until {@link CdcSettings#startupTimeout()}; every retry is logged and reported to the listener. Everything else
 * (authentication, wal_level, missing REPLICATION or publication, bad addresses, a database that does not match the
 * rules file — {@link RulesDatabaseCheck}, the same check as {@code ./commitcast rules check --db}) fails at once
 * with {@link CdcStartupException}.
 */
public final class Preflight {
    private static final Logger LOG = LoggerFactory.getLogger(Preflight.class);
    private static final int CONNECT_TIMEOUT_SECONDS = 5;

    /** Waits between attempts; returns false when the wait was cut short because the connector is closing. */
    @FunctionalInterface
    public interface Pause {
        boolean await(Duration delay) throws InterruptedException;
    }

    private final CdcSettings settings;
    private final Rules rules;
    private final Pause pause;
    private final Consumer<String> retryListener;

    /** @param retryListener told the dependency ({@code postgres} or {@code kafka}) of each retry */
    public Preflight(CdcSettings settings, Rules rules, Pause pause, Consumer<String> retryListener) {
        this.settings = settings;
        this.rules = rules;
        this.pause = pause;
        this.retryListener = retryListener;
    }

    /**
     * What streaming needs from the checks.
     *
     * @param changeTopics      the change topics of the publication's tables
     * @param columnIncludeList Debezium's {@code column.include.list} ({@link ColumnProjection}), empty for all columns
     */
    public record Result(List<String> changeTopics, java.util.Optional<String> columnIncludeList) {
    }

    /**
     * Checks Postgres and Kafka.
     *
     * @throws CdcStartupException with an actionable message when streaming cannot start
     */
    public Result run() throws InterruptedException {
        long deadline = System.nanoTime() + settings.startupTimeout().toNanos();
        PostgresFacts facts = retrying("postgres", deadline, this::postgresFacts);
        List<String> problems = new ArrayList<>(PreflightRules.problems(facts, settings));
        if (problems.isEmpty()) {
            // the database against the rules: tables, columns, replica identity, the publication's tables
            List<RulesDatabaseCheck.Finding> findings = retrying("postgres", deadline, this::rulesFindings);
            for (RulesDatabaseCheck.Finding finding : findings) {
                if (finding.severity() == RulesDatabaseCheck.Severity.ERROR) {
                    problems.add(finding.subject() + ": " + finding.message() + (finding.fix().isEmpty() ? ""
                            : " — fix: " + finding.fix()));
                } else {
                    LOG.warn("Rules check: {}", finding);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new CdcStartupException(problems.size() == 1 ? problems.getFirst()
                    : "Postgres is not ready for change data capture:\n - " + String.join("\n - ", problems));
        }
        retrying("kafka", deadline, () -> {
            kafkaReachable(deadline);
            return Boolean.TRUE;
        });
        List<String> topics = new ArrayList<>();
        for (String table : facts.publicationTables()) {
            int dot = table.indexOf('.');
            topics.add(settings.changeTopic(table.substring(0, dot), table.substring(dot + 1)));
        }
        java.util.Optional<String> projection = java.util.Optional.empty();
        if (settings.publishColumns() == CdcSettings.PublishColumns.RULES) {
            projection = ColumnProjection.includeList(rules, facts.publicationTables(),
                    retrying("postgres", deadline, this::primaryKeys));
        }
        LOG.info("Start-up checks passed: {} wal_level=logical, publication {} with {}, Kafka {} reachable; "
                        + "published columns: {}", settings.postgres().describe(), settings.publication(),
                facts.publicationTables(), settings.kafkaBootstrap(), projection.orElse("all"));
        return new Result(topics, projection);
    }

    @FunctionalInterface
    private interface Attempt<T> {
        T call() throws Exception;
    }

    private <T> T retrying(String dependency, long deadline, Attempt<T> attempt) throws InterruptedException {
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));
        while (true) {
            try {
                return attempt.call();
            } catch (CdcStartupException e) {
                throw e;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                FailureClassifier.Failure failure = FailureClassifier.classify(e);
                if (failure.permanent()) {
                    throw new CdcStartupException(permanentMessage(dependency, failure), e);
                }
                Duration delay = backoff.next();
                long remaining = deadline - System.nanoTime();
                if (remaining <= delay.toNanos()) {
                    throw new CdcStartupException(unreachableMessage(dependency, failure), e);
                }
                retryListener.accept(dependency);
                LOG.warn("{} not reachable yet ({}); retrying in {} ms, giving up after commitcast.cdc.startup-timeout"
                        + " = {} s", target(dependency), failure.summary(), delay.toMillis(),
                        settings.startupTimeout().toSeconds());
                if (!pause.await(delay)) {
                    throw new CdcStartupException("Closed during start-up while waiting for " + target(dependency));
                }
            }
        }
    }

    private String target(String dependency) {
        return dependency.equals("postgres") ? "Postgres at " + settings.postgres().describe()
                : "Kafka at " + settings.kafkaBootstrap();
    }

    private String permanentMessage(String dependency, FailureClassifier.Failure failure) {
        if (dependency.equals("postgres") && failure.decisive() instanceof SQLException sql
                && sql.getSQLState() != null && sql.getSQLState().startsWith("28")) {
            return "Postgres at " + settings.postgres().describe() + " rejected user '" + settings.user() + "': "
                    + sql.getMessage() + ". Check COMMITCAST_PG_USER / COMMITCAST_PG_PASSWORD (commitcast.cdc.user, "
                    + "commitcast.cdc.password).";
        }
        if (dependency.equals("kafka")) {
            return "Kafka at " + settings.kafkaBootstrap() + " refused the connector: " + failure.summary()
                    + ". Check COMMITCAST_KAFKA_BOOTSTRAP and the broker's listeners and ACLs.";
        }
        return target(dependency) + " cannot be used: " + failure.summary();
    }

    private String unreachableMessage(String dependency, FailureClassifier.Failure failure) {
        String fix = dependency.equals("postgres")
                ? "Check that Postgres is running and COMMITCAST_PG_JDBC_URL (commitcast.cdc.jdbc-url) is right."
                : "Check that the broker is running and COMMITCAST_KAFKA_BOOTSTRAP (commitcast.cdc.kafka-bootstrap) "
                + "is right.";
        return target(dependency) + " not reachable within commitcast.cdc.startup-timeout = "
                + settings.startupTimeout().toSeconds() + " s (last error: " + failure.summary() + "). " + fix;
    }

    private List<RulesDatabaseCheck.Finding> rulesFindings() throws SQLException {
        try (Connection c = connect()) {
            return RulesDatabaseCheck.check(rules, c, settings.publication());
        }
    }

    private java.util.Map<String, List<String>> primaryKeys() throws SQLException {
        try (Connection c = connect()) {
            return ColumnProjection.primaryKeys(c);
        }
    }

    PostgresFacts postgresFacts() throws SQLException {
        try (Connection c = connect()) {
            return facts(c);
        }
    }

    private Connection connect() throws SQLException {
        Properties props = settings.jdbcProperties("commitcast-cdc-preflight", CONNECT_TIMEOUT_SECONDS, 30);
        return DriverManager.getConnection(settings.jdbcUrl(), props);
    }

    private PostgresFacts facts(Connection c) throws SQLException {
        String walLevel;
        boolean replication;
        String user;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select current_setting('wal_level'), current_user, "
                     + "(select rolreplication or rolsuper from pg_roles where rolname = current_user)")) {
            rs.next();
            walLevel = rs.getString(1);
            user = rs.getString(2);
            replication = rs.getBoolean(3);
        }
        boolean publication;
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select exists (select 1 from pg_publication where pubname = ?)")) {
            ps.setString(1, settings.publication());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                publication = rs.getBoolean(1);
            }
        }
        if (publication) {
            try (PreparedStatement ps = c.prepareStatement("select schemaname, tablename from pg_publication_tables "
                    + "where pubname = ? order by schemaname, tablename")) {
                ps.setString(1, settings.publication());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tables.add(rs.getString(1) + "." + rs.getString(2));
                    }
                }
            }
        }
        Optional<String> slotPlugin = Optional.empty();
        try (PreparedStatement ps = c.prepareStatement("select plugin, database from pg_replication_slots where slot_name = ?")) {
            ps.setString(1, settings.slotName());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    slotPlugin = Optional.ofNullable(rs.getString(1));
                    requireSlotOfThisDatabase(rs.getString(2));
                }
            }
        }
        return new PostgresFacts(walLevel, replication, user, publication, tables, slotPlugin);
    }

    private void requireSlotOfThisDatabase(String slotDatabase) {
        PostgresUrl pg = settings.postgres();
        if (slotDatabase != null && !slotDatabase.equals(pg.database())) {
            throw new CdcStartupException("Replication slot '" + settings.slotName() + "' belongs to database '"
                    + slotDatabase + "', not '" + pg.database() + "': set commitcast.cdc.slot-name to a slot of this "
                    + "database (each database needs its own slot).");
        }
    }

    private void kafkaReachable(long deadline) throws Exception {
        // Half the remaining time per attempt, so an unreachable broker is retried (and counted) before the deadline.
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        Duration timeout = Duration.ofMillis(Math.max(1000, Math.min(10_000, remainingMs / 2)));
        Admin admin = KafkaClients.admin(settings.kafkaBootstrap(), "commitcast-cdc-preflight", timeout);
        try {
            int nodes = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            LOG.debug("Kafka at {} answered: {} broker(s)", settings.kafkaBootstrap(), nodes);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
