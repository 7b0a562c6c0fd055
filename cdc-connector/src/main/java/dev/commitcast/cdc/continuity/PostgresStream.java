package dev.commitcast.cdc.continuity;

import dev.commitcast.cdc.CdcSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;

/** What {@link StreamContinuity} asks of Postgres: the stream's identity and the slot, and slot maintenance. */
final class PostgresStream {

    private final CdcSettings settings;

    PostgresStream(CdcSettings settings) {
        this.settings = settings;
    }

    /** The database cluster and timeline streamed from ({@code IDENTIFY_SYSTEM} on a replication connection). */
    StreamIdentity identify() throws SQLException {
        Properties props = properties("commitcast-cdc-continuity");
        props.setProperty("replication", "database");
        props.setProperty("preferQueryMode", "simple");
        props.setProperty("assumeMinServerVersion", "10");
        try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), props);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("IDENTIFY_SYSTEM")) {
            if (!rs.next()) {
                throw new SQLException("IDENTIFY_SYSTEM returned no row");
            }
            return new StreamIdentity(rs.getString("systemid"), rs.getInt("timeline"));
        }
    }

    /** The slot, or empty when it does not exist. */
    Optional<SlotState> slot() throws SQLException {
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement("select plugin, (confirmed_flush_lsn - '0/0')::bigint, "
                     + "wal_status, active from pg_replication_slots where slot_name = ?")) {
            ps.setString(1, settings.slotName());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long confirmed = rs.getLong(2);
                return Optional.of(new SlotState(rs.getString(1), rs.wasNull() ? -1 : confirmed, rs.getString(3),
                        rs.getBoolean(4)));
            }
        }
    }

    /** Drops the slot (it must not be active). */
    void dropSlot() throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("select pg_drop_replication_slot(?)")) {
            ps.setString(1, settings.slotName());
            ps.execute();
        }
    }

    /** Creates the slot with pgoutput; changes committed from now on are retained for it. Returns its position. */
    long createSlot() throws SQLException {
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement("select (lsn - '0/0')::bigint from "
                     + "pg_create_logical_replication_slot(?, 'pgoutput')")) {
            ps.setString(1, settings.slotName());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(settings.jdbcUrl(), properties("commitcast-cdc-continuity"));
    }

    private Properties properties(String applicationName) {
        return settings.jdbcProperties(applicationName, 5, 30);
    }
}
