package dev.commitcast.cdc.health;

import dev.commitcast.cdc.CdcSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures how much WAL the replication slot retains ({@code pg_current_wal_lsn() - restart_lsn}): the disk a stalled
 * connector costs the database. Keeps one connection, reopened after a failure. Called periodically from one thread.
 */
public final class SlotRetentionPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SlotRetentionPoller.class);
    private static final String QUERY = "select pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint "
            + "from pg_replication_slots where slot_name = ?";

    private final CdcSettings settings;
    private final CdcMetrics metrics;
    private Connection connection;
    private int failuresInARow;

    public SlotRetentionPoller(CdcSettings settings, CdcMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    /** One measurement; failures are counted and logged (the first of a streak at WARN), never thrown. */
    public synchronized void poll() {
        try {
            if (connection == null) {
                connection = DriverManager.getConnection(settings.jdbcUrl(),
                        settings.jdbcProperties("commitcast-cdc-slot-monitor", 5, 10));
            }
            try (PreparedStatement ps = connection.prepareStatement(QUERY)) {
                ps.setString(1, settings.slotName());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        metrics.slotRetained(rs.getLong(1));
                    }
                }
            }
            failuresInARow = 0;
        } catch (SQLException | RuntimeException e) {
            metrics.error("slot_poll");
            if (failuresInARow++ == 0) {
                LOG.warn("Cannot measure WAL retained by slot {} at {}: {}; retrying every {} ms",
                        settings.slotName(), settings.postgres().describe(), e.getMessage(),
                        settings.slotPollInterval().toMillis());
            }
            closeConnection();
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the slot monitor connection failed", e);
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        closeConnection();
    }
}
