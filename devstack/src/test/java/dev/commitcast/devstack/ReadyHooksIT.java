package dev.commitcast.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server's ready hook runs once that server is ready, concurrently with the other servers' start and hooks, and
 * before {@link DevStack#start} returns; a failing hook fails the start and leaves nothing running.
 */
class ReadyHooksIT {

    @Test
    void hooksRunConcurrentlyAndBeforeStartReturns() throws Exception {
        CountDownLatch postgresHook = new CountDownLatch(1);
        CountDownLatch redisHook = new CountDownLatch(1);
        boolean[] met = new boolean[2];
        DevStack.ReadyHooks hooks = new DevStack.ReadyHooks() {
            @Override
            public void postgresReady(PostgresEndpoint postgres) throws Exception {
                try (Connection c = postgres.connect(postgres.database()); Statement s = c.createStatement()) {
                    s.execute("create table made_by_the_hook(id int)");
                }
                postgresHook.countDown();
                // Each hook waits for the other: run one after the other, neither would see the other's mark.
                met[0] = redisHook.await(30, TimeUnit.SECONDS);
            }

            @Override
            public void redisReady(RedisEndpoint redis) throws Exception {
                redisHook.countDown();
                met[1] = postgresHook.await(30, TimeUnit.SECONDS);
            }
        };
        // The default temporary work directory: Postgres (run as the postgres OS user under root) can traverse it.
        try (DevStack stack = DevStack.start(DevStackOptions.builder()
                .servers(ServerKind.POSTGRES, ServerKind.REDIS).build(), hooks)) {
            assertTrue(met[0] && met[1], "the two hooks did not run at the same time");
            PostgresEndpoint pg = stack.postgres();
            try (Connection c = pg.connect(pg.database()); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*) from made_by_the_hook")) {
                assertTrue(rs.next());
                assertEquals(0, rs.getInt(1));
            }
        }
    }

    @Test
    void aHookFailingWithACheckedExceptionFailsTheStartNamingTheServer(@TempDir Path workDir) {
        DevStackException e = assertThrows(DevStackException.class, () -> DevStack.start(DevStackOptions.builder()
                .workDir(workDir).servers(ServerKind.REDIS).build(), new DevStack.ReadyHooks() {
                    @Override
                    public void redisReady(RedisEndpoint redis) throws Exception {
                        throw new java.io.IOException("demo data file missing");
                    }
                }));
        assertEquals("Redis started, but what was to run once it was ready failed: demo data file missing",
                e.getMessage());
        assertEquals(Map.of(), TestProcesses.recordedPids(workDir));
        assertEquals(List.of(), TestProcesses.startedIn(workDir));
    }

    @Test
    void aHookFailingWithAnUncheckedExceptionFailsTheStartWithThatException(@TempDir Path workDir) {
        IllegalStateException thrown = new IllegalStateException("migration 2 failed");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DevStack.start(
                DevStackOptions.builder().workDir(workDir).servers(ServerKind.REDIS).build(),
                new DevStack.ReadyHooks() {
                    @Override
                    public void redisReady(RedisEndpoint redis) {
                        throw thrown;
                    }
                }));
        assertSame(thrown, e);
        assertEquals(Map.of(), TestProcesses.recordedPids(workDir));
        assertEquals(List.of(), TestProcesses.startedIn(workDir));
    }
}
