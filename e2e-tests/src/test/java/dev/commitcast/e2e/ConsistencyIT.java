package dev.commitcast.e2e;

import dev.commitcast.core.CacheKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Consistency under concurrency: writers change users (including moving them between organisations), roles, role
 * permissions and settings with plain SQL while readers hammer both api-service instances on the same keys. After
 * the writers stop and the watermark passes their last commit, every answer of both instances and every value held
 * in Redis must equal Postgres. Zero stale entries is the only pass.
 *
 * <p>"Postgres" is a third api-service instance with its caches switched off, so answers compare byte for byte.
 * Duration: {@code -Dcommitcast.e2e.consistency.seconds} (default 30).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // start/stop are instance methods, overridden by the Cluster* variant
class ConsistencyIT {
    private static final int ORGS = 2;
    private static final int USERS_PER_ORG = 10;
    private static final int ROLES_PER_ORG = 4;
    private static final int WRITERS = 4;
    private static final int READERS = 6;

    static Platform platform;
    static Api truth;

    @BeforeAll
    void start() throws Exception {
        platform = Platform.start("consistency", 2, EndToEndIT.LONG_TTLS);
        truth = platform.addApi("truth", Map.of("commitcast.cache.enabled", "false"));
    }

    @AfterAll
    void stop() {
        platform.close();
    }

    @Test
    void afterTheWatermarkPassesTheLastWriteEveryCachedAnswerEqualsPostgres() throws Exception {
        Map<String, CacheKey> hot = CacheComparison.hotPaths(ORGS, USERS_PER_ORG, ROLES_PER_ORG);
        List<String> paths = new ArrayList<>(hot.keySet());
        Duration duration = Duration.ofSeconds(Long.getLong("commitcast.e2e.consistency.seconds", 30));
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
        List<Future<?>> writers = new ArrayList<>();
        List<Future<?>> readers = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            long seed = 1_000 + i;
            writers.add(pool.submit(() -> write(new SplittableRandom(seed), writing, writes)));
        }
        for (int i = 0; i < READERS; i++) {
            SplittableRandom random = new SplittableRandom(2_000 + i);
            readers.add(pool.submit(() -> {
                while (reading.get()) {
                    platform.api(random.nextInt(2)).get(paths.get(random.nextInt(paths.size())));
                    reads.incrementAndGet();
                }
                return null;
            }));
        }
        Instant end = Instant.now().plus(duration);
        Instant middle = Instant.now().plus(duration.dividedBy(2));
        Wait.until("the middle of the write phase", duration, () -> Instant.now().isAfter(middle));
        duringLoad();
        Wait.until("the write phase to end", duration.plusSeconds(5), () -> Instant.now().isAfter(end));
        writing.set(false);
        for (Future<?> writer : writers) {
            writer.get();
        }
        long lastCommit = platform.currentLsn();
        platform.awaitWatermarkPast(lastCommit, Duration.ofSeconds(60));
        reading.set(false);
        for (Future<?> reader : readers) {
            reader.get();
        }
        pool.shutdown();
        assertTrue(writes.get() > 100 && reads.get() > 1_000, "load: " + writes + " writes, " + reads + " reads");

        List<String> stale = CacheComparison.stale(platform, List.of(platform.api(0), platform.api(1)), truth, hot);
        assertEquals(List.of(), stale, stale.size() + " stale entries after " + writes + " writes and " + reads
                + " reads");
    }

    /** Runs in the middle of the write phase, under load: nothing here; a fault in subclasses. */
    void duringLoad() throws Exception {
    }

    private static Void write(SplittableRandom random, AtomicBoolean writing, AtomicLong writes) throws SQLException {
        try (Connection c = platform.sql(); Statement s = c.createStatement()) {
            while (writing.get()) {
                long org = 1 + random.nextInt(ORGS);
                long user = Platform.DATA.userId(1 + random.nextInt(ORGS), random.nextInt(USERS_PER_ORG));
                long role = Platform.DATA.roleId(org, random.nextInt(ROLES_PER_ORG));
                String permission = "consistency.p" + random.nextInt(6);
                String sql = switch (random.nextInt(6)) {
                    case 0 -> "update users set display_name = 'name " + random.nextInt(1_000_000) + "' where id = " + user;
                    case 1 -> "update users set org_id = " + org + ", role_id = null where id = " + user;
                    case 2 -> "update roles set description = 'd " + random.nextInt(1_000_000) + "' where id = " + role;
                    case 3 -> "insert into role_permissions (org_id, role_id, permission) values (" + org + ", " + role
                            + ", '" + permission + "') on conflict do nothing";
                    case 4 -> "delete from role_permissions where role_id = " + role + " and permission = '"
                            + permission + "'";
                    default -> "update org_settings set session_ttl_minutes = " + (5 + random.nextInt(1_000))
                            + " where org_id = " + org;
                };
                s.execute(sql);
                writes.incrementAndGet();
            }
        }
        return null;
    }
}
