package dev.commitcast.e2e;

import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.api.cache.CachedValue;
import dev.commitcast.api.cache.PageIndex;
import dev.commitcast.api.cache.ValueCodec;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.KeySpace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
class ConsistencyIT {
    private static final int ORGS = 2;
    private static final int USERS_PER_ORG = 10;
    private static final int ROLES_PER_ORG = 4;
    private static final int WRITERS = 4;
    private static final int READERS = 6;
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

    private static Platform platform;
    private static Api truth;

    @BeforeAll
    static void start() throws Exception {
        platform = Platform.start("consistency", 2, EndToEndIT.LONG_TTLS);
        truth = platform.addApi("truth", Map.of("commitcast.cache.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void afterTheWatermarkPassesTheLastWriteEveryCachedAnswerEqualsPostgres() throws Exception {
        Map<String, CacheKey> hot = hotPaths();
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

        List<String> stale = new ArrayList<>();
        KeySpace codec = platform.keySpace();
        for (Map.Entry<String, CacheKey> entry : hot.entrySet()) {
            Api.Reply expected = truth.get(entry.getKey());
            for (Api api : List.of(platform.api(0), platform.api(1))) {
                Api.Reply actual = api.get(entry.getKey());
                if (!actual.trusted() || actual.status() != expected.status() || !actual.body().equals(expected.body())) {
                    stale.add(api + " " + entry.getKey() + " [" + actual.cache() + "] " + actual.status() + " "
                            + abbreviate(actual.body()) + " != " + expected.status() + " " + abbreviate(expected.body()));
                }
            }
            String redisProblem = compareRedis(codec, entry.getValue(), expected);
            if (redisProblem != null) {
                stale.add("redis " + codec.valueKey(entry.getValue()) + ": " + redisProblem);
            }
        }
        assertEquals(List.of(), stale, stale.size() + " stale entries after " + writes + " writes and " + reads
                + " reads");
    }

    /** Null when Redis holds no value or the same answer as Postgres; otherwise what differs. */
    private static String compareRedis(KeySpace codec, CacheKey key, Api.Reply expected) {
        byte[] raw = platform.redisValue(codec.valueKey(key));
        if (raw == null) {
            return null;
        }
        CachedValue value = ValueCodec.decode(raw);
        int status = value.found() ? 200 : 404;
        if (status != expected.status()) {
            return "holds " + status + ", Postgres says " + expected.status();
        }
        if (value.page() != null) {
            List<Long> cached = new ArrayList<>();
            PageIndex page = value.page();
            for (int i = 0; i < page.size(); i++) {
                cached.add(page.itemId(i));
            }
            List<Long> truthIds = ids(expected.body());
            return cached.equals(truthIds) ? null : "page ids " + cached + " != " + truthIds;
        }
        String body = new String(value.body(), StandardCharsets.UTF_8);
        return !value.found() || body.equals(expected.body()) ? null
                : abbreviate(body) + " != " + abbreviate(expected.body());
    }

    private static String abbreviate(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "...(" + body.length() + " chars)";
    }

    private static List<Long> ids(String json) {
        List<Long> ids = new ArrayList<>();
        Matcher matcher = ID.matcher(json);
        while (matcher.find()) {
            ids.add(Long.parseLong(matcher.group(1)));
        }
        return ids;
    }

    /** Every path the test reads, with the cache key it is stored under. */
    private static Map<String, CacheKey> hotPaths() {
        Map<String, CacheKey> paths = new LinkedHashMap<>();
        for (long org = 1; org <= ORGS; org++) {
            paths.put("/v1/orgs/" + org + "/settings", DemoKeys.settings(org));
            paths.put("/v1/orgs/" + org + "/roles", DemoKeys.roles(org));
            paths.put("/v1/orgs/" + org + "/users?limit=100", DemoKeys.userList(org));
            for (int r = 0; r < ROLES_PER_ORG; r++) {
                long role = Platform.DATA.roleId(org, r);
                paths.put("/v1/orgs/" + org + "/roles/" + role + "/permissions", DemoKeys.rolePermissions(org, role));
            }
            // users of both orgs, under both orgs: users move between them, so 404s are part of the picture
            for (long owner = 1; owner <= ORGS; owner++) {
                for (int u = 0; u < USERS_PER_ORG; u++) {
                    long user = Platform.DATA.userId(owner, u);
                    paths.put("/v1/orgs/" + org + "/users/" + user, DemoKeys.user(org, user));
                }
            }
        }
        return paths;
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
