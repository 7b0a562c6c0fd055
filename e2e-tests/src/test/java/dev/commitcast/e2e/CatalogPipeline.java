package dev.commitcast.e2e;

import dev.commitcast.cdc.CdcConnector;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Rules;
import dev.commitcast.devstack.DevStack;
import dev.commitcast.devstack.PostgresEndpoint;
import dev.commitcast.invalidator.Invalidator;
import dev.commitcast.invalidator.config.InvalidatorConfig;
import dev.commitcast.testsupport.Repo;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalog example (examples/catalog) on the real pipeline, for the tests of that schema: a database of its own with
 * the catalog migration and the given starting rows, the connector (its slot begins after those rows) and the
 * invalidator, both with the catalog rules in a key space of their own, 200 ms heartbeats.
 */
final class CatalogPipeline implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String C1 = "c1000000-0000-4000-8000-000000000001";
    static final String C2 = "c2000000-0000-4000-8000-000000000002";
    static final String C3 = "c3000000-0000-4000-8000-000000000003";
    static final String P1 = "a1000000-0000-4000-8000-000000000001";
    static final String P2 = "a2000000-0000-4000-8000-000000000002";

    private static final DevStack STACK = DevStack.shared();

    final String database;
    final Rules rules;
    final KeySpace space;
    private final String slot;
    private final CdcConnector connector;
    private final Invalidator invalidator;

    private CatalogPipeline(String database, Rules rules, String slot, CdcConnector connector,
                            Invalidator invalidator) {
        this.database = database;
        this.rules = rules;
        this.space = rules.keySpace();
        this.slot = slot;
        this.connector = connector;
        this.invalidator = invalidator;
    }

    /** Starts it; {@code name} prefixes the database, slot, topics and key space, {@code rows} are the starting SQL. */
    static CatalogPipeline start(String name, String... rows) throws Exception {
        String suffix = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36)
                .toLowerCase(Locale.ROOT);
        PostgresEndpoint pg = STACK.postgres();
        String database = pg.createDatabase(name.replace('-', '_'));
        execute(database, Files.readString(Repo.root().resolve("examples/catalog/db/V1__catalog.sql")));
        execute(database, rows); // before the connector exists (its slot starts after these): not part of any test
        Rules rules = Rules.load(Repo.catalogRulesFile()).withKeySpacePrefix(name + "-" + suffix);
        String slot = name.replace('-', '_') + "_" + suffix;
        String topics = name + "-" + suffix;
        Map<String, String> cdc = new HashMap<>();
        cdc.put("jdbc-url", pg.jdbcUrl(database));
        cdc.put("user", pg.user());
        cdc.put("password", pg.password());
        cdc.put("kafka-bootstrap", STACK.kafka().bootstrapServers());
        cdc.put("topic-prefix", topics);
        cdc.put("slot-name", slot);
        cdc.put("data-dir", Files.createTempDirectory(name + "-cdc").toString());
        cdc.put("heartbeat-interval", "200ms");
        cdc.put("rules", Repo.catalogRulesFile().toString());
        CdcConnector connector = CdcConnector.fromProperties(cdc);
        connector.start();
        assertTrue(connector.awaitStreaming(WAIT), "connector streaming: " + connector.status());
        Invalidator invalidator = Invalidator.start(InvalidatorConfig.builder(STACK.kafka().bootstrapServers(),
                        STACK.redis().uri())
                .topicPrefix(topics).groupId(name + "-" + suffix).keySpace(rules.keySpace().prefix())
                .rules(Repo.catalogRulesFile()).heartbeatInterval(Duration.ofMillis(200))
                .pollTimeout(Duration.ofMillis(100)).build());
        return new CatalogPipeline(database, rules, slot, connector, invalidator);
    }

    /** Runs the statements, each committed on its own. */
    void sql(String... statements) throws Exception {
        execute(database, statements);
    }

    private static void execute(String database, String... statements) throws Exception {
        try (Connection c = STACK.postgres().connect(database); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** Stops the invalidator and the connector and drops the slot. */
    @Override
    public void close() throws Exception {
        invalidator.close();
        connector.close();
        sql("select pg_drop_replication_slot('" + slot + "')");
    }
}
