package dev.commitcast.api.support;

import dev.commitcast.testsupport.Repo;

import dev.commitcast.devstack.DevStack;
import dev.commitcast.devstack.PostgresEndpoint;
import dev.commitcast.schema.DemoDataGenerator;
import dev.commitcast.schema.DemoDataSpec;
import dev.commitcast.schema.Migrations;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The shared dev stack (one per test JVM) and what a test class needs from it: a fresh database with the schema and
 * a small data set, a unique Redis key space, and the properties that point the service at both.
 */
public final class TestStack {

    /** 3 organisations x 150 users (more than a cached first page), 4 roles x 5 permissions each. */
    public static final DemoDataSpec SPEC = new DemoDataSpec(3, 150, 4, 5, 7);

    private TestStack() {
    }

    /** Returns the shared dev stack. */
    public static DevStack stack() {
        return DevStack.shared();
    }

    /**
     * Creates a fresh database with {@link #SPEC} loaded and returns the service properties for it and for a unique
     * key space: datasource, Redis URI, {@code commitcast.key-space}, and the staleness guard off (these tests do not
     * run the CDC pipeline).
     */
    public static Map<String, String> serviceProperties(String testName) {
        PostgresEndpoint pg = stack().postgres();
        String name = testName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        String db = pg.createDatabase("api_" + name.substring(0, Math.min(20, name.length())));
        Migrations.apply(pg.jdbcUrl(db), pg.user(), pg.password());
        try (Connection connection = pg.connect(db)) {
            DemoDataGenerator.load(connection, SPEC, false);
        } catch (SQLException e) {
            throw new IllegalStateException("loading demo data into " + db + " failed", e);
        }
        Map<String, String> properties = new HashMap<>();
        properties.put("datasources.default.url", pg.jdbcUrl(db));
        properties.put("datasources.default.username", pg.user());
        properties.put("datasources.default.password", pg.password());
        properties.put("commitcast.redis.uri", stack().redis().uri());
        properties.put("commitcast.key-space", "it-" + name + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20)));
        properties.put("commitcast.staleness.enabled", "false");
        properties.put("commitcast.rules", Repo.demoRulesFile().toString());
        properties.put("test.database", db);
        return properties;
    }

    /** Runs one SQL statement in the database of a test class. */
    public static void sql(String db, String statement) {
        try (Connection connection = stack().postgres().connect(db); Statement s = connection.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed in " + db + ": " + statement, e);
        }
    }
}
