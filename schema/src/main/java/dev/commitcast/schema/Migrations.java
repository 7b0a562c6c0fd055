package dev.commitcast.schema;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import java.util.Objects;

/**
 * Applies the read model's Flyway migrations ({@code classpath:db/migration}) to a database.
 *
 * <p>Migrating is idempotent: a database that is already current is left untouched. The api-service applies the
 * same migrations through Micronaut Flyway; this entry point serves the launcher and the tests.
 */
public final class Migrations {
    /** Where the migrations live on the classpath. */
    public static final String LOCATION = "classpath:db/migration";

    private Migrations() {
    }

    /**
     * Migrates the database to the newest version.
     *
     * @return the number of migrations applied by this call (0 when the schema was already current)
     */
    public static int apply(String jdbcUrl, String user, String password) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        MigrateResult result = Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                .locations(LOCATION)
                .load()
                .migrate();
        return result.migrationsExecuted;
    }
}
