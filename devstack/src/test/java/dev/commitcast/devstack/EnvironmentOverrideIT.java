package dev.commitcast.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** COMMITCAST_* variables point a stack at existing servers: it starts nothing and reports those endpoints. */
class EnvironmentOverrideIT {

    @Test
    void environmentEndpointsAreUsedAndNothingIsStarted(@TempDir Path workDir) throws SQLException, IOException {
        DevStack first = DevStack.shared();
        PostgresEndpoint pg = first.postgres();
        Map<String, String> env = Map.of(
                DevStackOptions.ENV_PG_URL, pg.uri(pg.database()),
                DevStackOptions.ENV_REDIS_URL, first.redis().uri(),
                DevStackOptions.ENV_KAFKA_BOOTSTRAP, first.kafka().bootstrapServers(),
                "PATH", "/nonexistent");  // proves no binary is looked up
        // A stack starts its servers as children of this JVM; the shared stack's servers fork children of their
        // own at any time (Postgres backends, a Redis background save), which the second stack has not started.
        List<ProcessHandle> before = ProcessHandle.current().children().toList();

        try (DevStack second = DevStack.start(DevStackOptions.builder().workDir(workDir).environment(env)
                .containersAllowed(false).build())) {
            assertEquals(pg.jdbcUrl(pg.database()), second.postgres().jdbcUrl(second.postgres().database()));
            assertEquals(pg.user(), second.postgres().user());
            assertEquals(pg.password(), second.postgres().password());
            assertEquals(first.redis().uri(), second.redis().uri());
            assertEquals(first.kafka().bootstrapServers(), second.kafka().bootstrapServers());

            assertEquals(Map.of(), TestProcesses.recordedPids(workDir));
            try (Stream<Path> files = Files.list(workDir)) {
                assertEquals(List.of(), files.toList(), "nothing written to the work dir");
            }
            List<String> newChildren = ProcessHandle.current().children().filter(p -> !before.contains(p))
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
            assertEquals(List.of(), newChildren, "no process started");

            for (ServerKind kind : ServerKind.values()) {
                assertEquals(ServerControl.Source.ENVIRONMENT, second.server(kind).source());
                assertFalse(second.server(kind).controllable());
            }
            assertFalse(second.redis().controllable());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> second.redis().stop());
            assertTrue(e.getMessage().contains("COMMITCAST_REDIS_URL"), e.getMessage());
            assertTrue(e.getMessage().contains("was not started by this DevStack"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> second.redis().start());

            // The endpoints work through the second stack.
            try (Connection c = second.postgres().connect(second.postgres().database()); Statement s = c.createStatement()) {
                s.execute("select 1");
            }
            assertTrue(second.redis().ping());
            second.kafka().createTopic("env-override-it", 1);
        }
        // Closing the second stack left the first one's servers alone.
        assertTrue(first.redis().ping());
        try (Connection c = pg.connect(pg.database())) {
            assertTrue(c.isValid(2));
        }
    }

    @Test
    void malformedEnvironmentValueFailsNamingTheVariable(@TempDir Path workDir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DevStack.start(
                DevStackOptions.builder().workDir(workDir).servers(ServerKind.REDIS)
                        .environment(Map.of(DevStackOptions.ENV_REDIS_URL, "localhost:6379")).build()));
        assertTrue(e.getMessage().startsWith("COMMITCAST_REDIS_URL=localhost:6379 is invalid"), e.getMessage());
    }
}
