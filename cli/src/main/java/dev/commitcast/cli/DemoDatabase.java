package dev.commitcast.cli;

import dev.commitcast.devstack.PostgresEndpoint;
import dev.commitcast.schema.DemoDataGenerator;
import dev.commitcast.schema.DemoDataSpec;
import dev.commitcast.schema.Migrations;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The demo's database as {@code up} prepares it, while Kafka still starts: its migrations, then its data
 * ({@code --orgs}, {@code --users-per-org}; none with {@code --no-demo-data}, and none added to a database that
 * already has organisations). Progress goes to the supervisor's log.
 */
final class DemoDatabase {
    private DemoDatabase() {
    }

    static void prepare(PostgresEndpoint pg, PlatformOptions options) throws SQLException {
        int applied = Migrations.apply(pg.jdbcUrl(pg.database()), pg.user(), pg.password());
        System.out.println("migrations applied: " + applied + " " + Supervisor.sinceStart());
        if (options.demoData()) {
            load(pg, options);
        }
    }

    private static void load(PostgresEndpoint pg, PlatformOptions options) throws SQLException {
        try (Connection connection = pg.connect(pg.database())) {
            DemoDataSpec spec = new DemoDataSpec(options.orgs(), options.usersPerOrg(),
                    DemoDataSpec.DEFAULT_ROLES_PER_ORG, DemoDataSpec.DEFAULT_PERMISSIONS_PER_ROLE,
                    DemoDataSpec.DEFAULT_SEED);
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("select exists (select 1 from orgs)")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    System.out.println("demo data: the database already has organisations; left as it is");
                    return;
                }
            }
            DemoDataGenerator.LoadResult result = DemoDataGenerator.load(connection, spec, false);
            System.out.printf("demo data: %,d rows in %d ms (%,.0f rows/s) %s%n", result.totalRows(),
                    result.elapsed().toMillis(), result.rowsPerSecond(), Supervisor.sinceStart());
        }
    }
}
