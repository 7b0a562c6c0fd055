package dev.commitcast.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** createDatabase gives each test its own, empty database. */
class CreateDatabaseIT {
    private final PostgresEndpoint pg = DevStack.shared().postgres();

    @Test
    void databasesAreFreshAndIsolated() throws SQLException {
        String first = pg.createDatabase("isolation_it");
        String second = pg.createDatabase("isolation_it");
        assertNotEquals(first, second);
        assertTrue(first.startsWith("isolation_it_"), first);

        try (Connection c = pg.connect(first); Statement s = c.createStatement()) {
            s.execute("create table orders(id bigint primary key)");
            s.execute("insert into orders values (1)");
            assertEquals(first, text(s, "select current_database()"));
        }
        try (Connection c = pg.connect(second); Statement s = c.createStatement()) {
            assertEquals("0", text(s, "select count(*) from information_schema.tables where table_name = 'orders'"));
            assertEquals(pg.user(), text(s, "select pg_get_userbyid(datdba) from pg_database where datname = current_database()"));
        }
    }

    @Test
    void invalidPrefixIsRejectedWithTheRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pg.createDatabase("Bad-Name"));
        assertTrue(e.getMessage().contains("'Bad-Name'"), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }

    private static String text(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }
}
