package dev.commitcast.cdc.testsupport;

import dev.commitcast.cdc.CdcSettings;
import dev.commitcast.devstack.DevStack;
import dev.commitcast.devstack.PostgresEndpoint;
import dev.commitcast.schema.DemoDataGenerator;
import dev.commitcast.schema.DemoDataSpec;
import dev.commitcast.schema.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh database on the shared dev stack (with or without the migrations and some demo data), plus connector
 * settings that are unique to it: slot, topic prefix and data directory. {@link #close()} drops the slot.
 */
public final class CdcTestDatabase implements AutoCloseable {
    private final DevStack stack = DevStack.shared();
    private final PostgresEndpoint pg = stack.postgres();
    private final String database;
    private final String slot;
    private final String topicPrefix;
    private final Path dataDir;

    private CdcTestDatabase(String prefix, boolean migrate) {
        database = pg.createDatabase(prefix);
        String suffix = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36)
                .toLowerCase(Locale.ROOT);
        slot = "cdc_" + prefix + "_" + suffix;
        topicPrefix = "it-" + prefix + "-" + suffix;
        try {
            dataDir = Files.createTempDirectory("cdc-" + prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (migrate) {
            Migrations.apply(pg.jdbcUrl(database), pg.user(), pg.password());
            try (Connection c = pg.connect(database)) {
                DemoDataGenerator.load(c, new DemoDataSpec(3, 5, 2, 3, 42L), false);
            } catch (SQLException e) {
                throw new IllegalStateException("demo data", e);
            }
        }
    }

    /** A migrated database with 3 organisations, 5 users each, 2 roles with 3 permissions each. */
    public static CdcTestDatabase migrated(String prefix) {
        return new CdcTestDatabase(prefix, true);
    }

    /** An empty database: no tables, no publication. */
    public static CdcTestDatabase empty(String prefix) {
        return new CdcTestDatabase(prefix, false);
    }

    public CdcSettings.Builder settings() {
        return CdcSettings.builder()
                .jdbcUrl(pg.jdbcUrl(database)).user(pg.user()).password(pg.password())
                .kafkaBootstrap(stack.kafka().bootstrapServers())
                .topicPrefix(topicPrefix).slotName(slot).dataDir(dataDir)
                .heartbeatInterval(Duration.ofMillis(300)).offsetFlushInterval(Duration.ofMillis(200))
                .startupTimeout(Duration.ofSeconds(30)).rules(dev.commitcast.testsupport.Repo.demoRulesFile());
    }

    public String topic(String table) {
        return topicPrefix + ".public." + table;
    }

    public List<String> allTopics() {
        return List.of("org_settings", "orgs", "role_permissions", "roles", "users").stream().map(this::topic).toList();
    }

    public String bootstrap() {
        return stack.kafka().bootstrapServers();
    }

    public String database() {
        return database;
    }

    public String slot() {
        return slot;
    }

    public DevStack stack() {
        return stack;
    }

    /** Runs statements in one autocommit session each. */
    public void execute(String... statements) {
        try (Connection c = pg.connect(database); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + String.join("; ", statements), e);
        }
    }

    public Connection connect() {
        return pg.connect(database);
    }

    /** Drops the slot if it exists (the connector must be closed). */
    @Override
    public void close() {
        try (Connection c = pg.connect(database);
             PreparedStatement ps = c.prepareStatement("select pg_drop_replication_slot(slot_name) "
                     + "from pg_replication_slots where slot_name = ? and not active")) {
            ps.setString(1, slot);
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop slot " + slot, e);
        }
    }
}
