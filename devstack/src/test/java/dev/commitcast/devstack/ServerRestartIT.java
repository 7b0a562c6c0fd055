package dev.commitcast.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Postgres and Kafka also restart on the same ports, keeping their data. */
class ServerRestartIT {

    @Test
    void postgresAndKafkaComeBackWithTheirData() throws SQLException {
        try (DevStack stack = DevStack.start(DevStackOptions.builder().servers(ServerKind.POSTGRES, ServerKind.KAFKA).build())) {
            PostgresEndpoint pg = stack.postgres();
            String db = pg.createDatabase("restart_it");
            try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
                s.execute("create table kept(x int); insert into kept values (7)");
            }
            stack.kafka().createTopic("restart-it", 2);
            String bootstrap = stack.kafka().bootstrapServers();

            stack.server(ServerKind.POSTGRES).stop();
            stack.server(ServerKind.KAFKA).stop();
            assertFalse(stack.server(ServerKind.POSTGRES).isRunning());
            assertFalse(stack.server(ServerKind.KAFKA).isRunning());
            assertEquals(Map.of(), DevStack.leftoverProcesses(stack.workDir()));

            stack.server(ServerKind.POSTGRES).start();
            stack.server(ServerKind.KAFKA).start();
            assertTrue(stack.server(ServerKind.KAFKA).isRunning());
            assertEquals(bootstrap, stack.kafka().bootstrapServers());
            try (Connection c = pg.connect(db); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select x from kept")) {
                assertTrue(rs.next());
                assertEquals(7, rs.getInt(1));
            }
            stack.kafka().createTopic("restart-it", 2);
            stack.kafka().createTopic("restart-it-new", 1);
        }
    }
}
