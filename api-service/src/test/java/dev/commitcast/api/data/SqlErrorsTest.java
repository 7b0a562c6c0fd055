package dev.commitcast.api.data;

import io.micronaut.data.connection.exceptions.ConnectionException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class SqlErrorsTest {

    @Test
    void checkConstraintNamesBecomeFieldNames() {
        assertEquals("displayName", SqlErrors.fieldOf("users_display_name_check"));
        assertEquals("sessionTtlMinutes", SqlErrors.fieldOf("org_settings_session_ttl_minutes_check"));
        assertEquals("permission", SqlErrors.fieldOf("role_permissions_permission_check"));
        assertNull(SqlErrors.fieldOf(null));
    }

    @Test
    void connectionFailuresAreUnavailableAndBugsAreNotClassified() {
        RuntimeException down = new RuntimeException(new SQLTransientConnectionException("pool timeout"));
        assertInstanceOf(DataUnavailableException.class, SqlErrors.translate(down));
        RuntimeException refused = new RuntimeException(new SQLException("refused", "08001"));
        assertInstanceOf(DataUnavailableException.class, SqlErrors.translate(refused));
        RuntimeException syntax = new RuntimeException(new SQLException("syntax", "42601"));
        assertSame(syntax, SqlErrors.translate(syntax));
        IllegalStateException other = new IllegalStateException("no SQL involved");
        assertSame(other, SqlErrors.translate(other));
    }

    @Test
    void aPooledConnectionPostgresTerminatedIsUnavailable() {
        // what DatabaseOutageIT once got as a 500: Micronaut Data preparing a connection Hikari knows is closed
        RuntimeException closed = new ConnectionException("Could not set JDBC Connection read-only: Connection is "
                + "closed", new SQLException("Connection is closed"));
        RuntimeException translated = SqlErrors.translate(closed);
        assertInstanceOf(DataUnavailableException.class, translated);
        assertEquals("database unavailable: Connection is closed", translated.getMessage());
        assertInstanceOf(DataUnavailableException.class,
                SqlErrors.translate(new RuntimeException(new SQLNonTransientConnectionException("gone"))));
    }
}
