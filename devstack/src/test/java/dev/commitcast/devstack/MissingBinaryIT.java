package dev.commitcast.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A missing server binary fails the start with a message naming what is missing and how to install it. */
class MissingBinaryIT {

    @Test
    void redisServerNotOnPath(@TempDir Path workDir) {
        DevStackException e = startFails(workDir, ServerKind.REDIS, Map.of("PATH", "/nonexistent/bin"));
        assertContains(e, "redis-server not found on PATH (/nonexistent/bin)");
        assertContains(e, "install Redis >= 7 (Debian/Ubuntu: apt-get install redis-server)");
        assertContains(e, "COMMITCAST_REDIS_URL=redis://host:port");
        assertContains(e, "Testcontainers fallback: disabled");
    }

    @Test
    void redisBinaryOverridePointsNowhere(@TempDir Path workDir) {
        DevStackException e = startFails(workDir, ServerKind.REDIS,
                Map.of(DevStackOptions.ENV_REDIS_SERVER, "/nonexistent/redis-server"));
        assertContains(e, "COMMITCAST_REDIS_SERVER=/nonexistent/redis-server is not an executable file");
        assertContains(e, "apt-get install redis-server");
    }

    @Test
    void postgresBindirOverridePointsNowhere(@TempDir Path workDir) {
        DevStackException e = startFails(workDir, ServerKind.POSTGRES,
                Map.of(DevStackOptions.ENV_PG_BINDIR, "/nonexistent/pg/bin"));
        assertContains(e, "COMMITCAST_PG_BINDIR=/nonexistent/pg/bin does not hold executable initdb, postgres, pg_ctl");
        assertContains(e, "apt-get install postgresql");
    }

    private static DevStackException startFails(Path workDir, ServerKind kind, Map<String, String> env) {
        DevStackException e = assertThrows(DevStackException.class, () -> DevStack.start(DevStackOptions.builder()
                .workDir(workDir).servers(kind).environment(env).containersAllowed(false).build()));
        assertEquals(Map.of(), TestProcesses.recordedPids(workDir), "nothing was started");
        return e;
    }

    private static void assertContains(Exception e, String expected) {
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }
}
