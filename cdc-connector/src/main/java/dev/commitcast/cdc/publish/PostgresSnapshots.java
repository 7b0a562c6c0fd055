package dev.commitcast.cdc.publish;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pg_current_snapshot()} of the primary, on one connection of its own (reopened after a failure), for
 * {@link CommitVisibility}. Autocommit, so every call reads a fresh snapshot. Used by one thread at a time.
 */
public final class PostgresSnapshots implements CommitVisibility.Snapshots, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresSnapshots.class);

    private final String jdbcUrl;
    private final Properties properties;
    private Connection connection;

    public PostgresSnapshots(String jdbcUrl, Properties properties) {
        this.jdbcUrl = jdbcUrl;
        this.properties = properties;
    }

    @Override
    public synchronized String current() throws SQLException {
        try {
            if (connection == null) {
                connection = DriverManager.getConnection(jdbcUrl, properties);
            }
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("select pg_current_snapshot()::text")) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the visibility connection failed", e);
            }
            connection = null;
        }
    }
}
