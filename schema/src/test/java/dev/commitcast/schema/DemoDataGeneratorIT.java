package dev.commitcast.schema;

import dev.commitcast.devstack.DevStack;
import dev.commitcast.devstack.PostgresEndpoint;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoDataGeneratorIT {
    private static final DemoDataSpec SMALL = new DemoDataSpec(7, 30, 5, 12, 99);

    private final PostgresEndpoint pg = DevStack.shared().postgres();

    @Test
    void loadsExactlyTheSpecifiedCounts() throws SQLException {
        try (Connection c = freshDatabase()) {
            DemoDataGenerator.LoadResult result = DemoDataGenerator.load(c, SMALL, false);
            assertEquals(7 + 7 + 35 + 35 * 12 + 7 * 30, result.totalRows());
            assertEquals(7, count(c, "select count(*) from orgs"));
            assertEquals(7, count(c, "select count(*) from org_settings"));
            assertEquals(35, count(c, "select count(*) from roles"));
            assertEquals(35 * 12, count(c, "select count(*) from role_permissions"));
            assertEquals(210, count(c, "select count(*) from users"));
            assertEquals(0, count(c, "select count(*) from users u join roles r on r.id = u.role_id where r.org_id <> u.org_id"),
                    "users only get roles of their own org");
            assertEquals(SMALL.userId(7, 29), count(c, "select max(id) from users"));
        }
    }

    @Test
    void sameSpecSameRowsOtherSeedOtherRows() throws SQLException {
        String first;
        String second;
        String otherSeed;
        try (Connection c = freshDatabase()) {
            DemoDataGenerator.load(c, SMALL, false);
            first = fingerprint(c);
        }
        try (Connection c = freshDatabase()) {
            DemoDataGenerator.load(c, SMALL, false);
            second = fingerprint(c);
        }
        try (Connection c = freshDatabase()) {
            DemoDataGenerator.load(c, new DemoDataSpec(7, 30, 5, 12, 100), false);
            otherSeed = fingerprint(c);
        }
        assertEquals(first, second);
        assertNotEquals(first, otherSeed);
    }

    @Test
    void refusesToLoadOverDataUnlessReset() throws SQLException {
        try (Connection c = freshDatabase()) {
            DemoDataGenerator.load(c, SMALL, false);
            var e = assertThrows(IllegalStateException.class, () -> DemoDataGenerator.load(c, SMALL, false));
            assertTrue(e.getMessage().contains("--reset"), e.getMessage());
            DemoDataGenerator.load(c, new DemoDataSpec(2, 3, 2, 2, 1), true);
            assertEquals(6, count(c, "select count(*) from users"));
            // identity sequences were moved past the explicit ids: a plain insert gets the next id
            try (Statement s = c.createStatement()) {
                s.execute("insert into users (org_id, email, display_name) values (1, 'new@org1.example', 'New')");
            }
            assertEquals(7, count(c, "select max(id) from users"));
        }
    }

    private Connection freshDatabase() throws SQLException {
        String db = pg.createDatabase("demo");
        Migrations.apply(pg.jdbcUrl(db), pg.user(), pg.password());
        return pg.connect(db);
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A digest of every generated column (timestamps excluded: they are "now"). */
    private static String fingerprint(Connection c) throws SQLException {
        String sql = """
                select md5(
                  (select string_agg(concat_ws('|', id, slug, name, plan), ',' order by id) from orgs) ||
                  (select string_agg(concat_ws('|', org_id, timezone, locale, sso_enabled, mfa_required,
                       session_ttl_minutes, data_retention_days), ',' order by org_id) from org_settings) ||
                  (select string_agg(concat_ws('|', id, org_id, name, is_system), ',' order by id) from roles) ||
                  (select string_agg(concat_ws('|', role_id, permission), ',' order by role_id, permission)
                       from role_permissions) ||
                  (select string_agg(concat_ws('|', id, org_id, email, display_name, role_id, status), ',' order by id)
                       from users))
                """;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
