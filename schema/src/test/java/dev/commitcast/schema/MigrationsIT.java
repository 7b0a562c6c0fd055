package dev.commitcast.schema;

import dev.commitcast.devstack.DevStack;
import dev.commitcast.devstack.PostgresEndpoint;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MigrationsIT {
    private static final List<String> TABLES = List.of("org_settings", "orgs", "role_permissions", "roles", "users");

    private final PostgresEndpoint pg = DevStack.shared().postgres();

    @Test
    void migratesAnEmptyDatabaseAndIsIdempotent() throws SQLException {
        String db = pg.createDatabase("migrations");
        assertEquals(1, Migrations.apply(pg.jdbcUrl(db), pg.user(), pg.password()));
        assertEquals(0, Migrations.apply(pg.jdbcUrl(db), pg.user(), pg.password()), "second run applies nothing");

        try (Connection c = pg.connect(db)) {
            assertEquals(TABLES, strings(c, "select relname from pg_class where relkind = 'r' and relname = any(?)"
                    + " order by relname"));
            // REPLICA IDENTITY FULL ('f'): updates and deletes carry the whole before-image
            assertEquals(List.of("f", "f", "f", "f", "f"), strings(c,
                    "select relreplident::text from pg_class where relkind = 'r' and relname = any(?) order by relname"));
            // the publication holds exactly the five tables, nothing else
            assertEquals(TABLES, strings(c, "select tablename from pg_publication_tables where pubname = 'commitcast_pub'"
                    + " order by tablename"));
        }
    }

    @Test
    void everyReadPathHasAnIndex() throws SQLException {
        String db = pg.createDatabase("indexes");
        Migrations.apply(pg.jdbcUrl(db), pg.user(), pg.password());
        try (Connection c = pg.connect(db)) {
            List<String> definitions = strings(c, "select indexdef from pg_indexes where tablename = any(?)");
            assertHasIndexOn(definitions, "users", "(org_id, id)");          // user by id in org, keyset pages
            assertHasIndexOn(definitions, "roles", "(org_id, id)");          // roles of an org
            assertHasIndexOn(definitions, "role_permissions", "(role_id, permission)"); // permissions of a role
        }
    }

    private static void assertHasIndexOn(List<String> definitions, String table, String columns) {
        boolean found = definitions.stream().anyMatch(d -> d.contains(" ON public." + table + " ") && d.contains(columns));
        assertEquals(true, found, "an index on " + table + " " + columns + " among " + definitions);
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        try (var statement = c.prepareStatement(sql)) {
            if (statement.getParameterMetaData().getParameterCount() > 0) {
                statement.setArray(1, c.createArrayOf("text", TABLES.toArray()));
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        }
    }
}
