package dev.commitcast.cli.events;

import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.cli.CliRunner;
import dev.commitcast.cli.ExitCodes;
import dev.commitcast.cli.TestRedis;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.wire.EvictionMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static dev.commitcast.cli.events.Events.change;
import static dev.commitcast.cli.events.Events.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code replay --file} against the dev stack's Redis, in a fresh key space. */
class ReplayIT {
    private static final String USERS = "commitcast.public.users";
    private static final String ROLES = "commitcast.public.roles";
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Named by the events below. */
    private static final List<CacheKey> BUSTED = List.of(DemoKeys.user(7, 9), DemoKeys.userList(7),
            DemoKeys.roles(7), DemoKeys.rolePermissions(7, 3));
    /** Same organisation or same ids, but not named by any event. */
    private static final List<CacheKey> BYSTANDERS = List.of(DemoKeys.user(7, 10), DemoKeys.settings(7),
            DemoKeys.user(8, 9), DemoKeys.userList(8), DemoKeys.rolePermissions(7, 4));

    private TestRedis redis;
    @TempDir
    Path dir;

    @BeforeEach
    void seed() {
        redis = new TestRedis();
        redis.seed(BUSTED.toArray(CacheKey[]::new));
        redis.seed(BYSTANDERS.toArray(CacheKey[]::new));
    }

    @AfterEach
    void close() {
        redis.close();
    }

    private Path file(String... lines) throws IOException {
        return Files.write(dir.resolve("events.jsonl"), List.of(lines));
    }

    private static String userUpdated() {
        return EventLines.write(Events.record(USERS, 11, "{\"id\":9}", change("users", "u",
                row("id", 9, "org_id", 7, "email", "old@example.com"), row("id", 9, "org_id", 7, "email", "new@example.com"),
                5000, Instant.now())));
    }

    private static String roleCreated() {
        return EventLines.write(Events.record(ROLES, 4, "{\"id\":3}", change("roles", "c", null,
                row("id", 3, "org_id", 7, "name", "auditor"), 5001, Instant.now())));
    }

    private CliRunner.Run replay(Path file, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("replay", "--file", file.toString(), "--redis",
                redis.uri(), "--key-space", redis.keySpace().prefix(), "--rules", redis.rulesFile()));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void dryRunPrintsTheKeysPerEventAndChangesNothing() throws Exception {
        Path file = file(userUpdated(), EventLines.write(Events.markerRecord(USERS, 12)),
                EventLines.write(Events.record(USERS, 13, "{\"id\":9}", null)), roleCreated());
        try (TestRedis.Broadcasts broadcasts = redis.subscribe()) {
            CliRunner.Run run = replay(file, "--dry-run");
            assertEquals(ExitCodes.OK, run.exit(), run.all());
            String ks = redis.keySpace().prefix();
            assertTrue(run.out().contains("line 1  " + USERS + "-0@11  public.users UPDATE -> " + ks + ":v1:org:{7}:user:9 "
                    + ks + ":v1:org:{7}:users:first\n"), run.all());
            assertTrue(run.out().contains("line 2  " + USERS + "-0@12  watermark marker, skipped"), run.all());
            assertTrue(run.out().contains("line 3  " + USERS + "-0@13  tombstone, skipped"), run.all());
            assertTrue(run.out().contains("line 4  " + ROLES + "-0@4  public.roles CREATE -> " + ks + ":v1:org:{7}:roles "
                    + ks + ":v1:org:{7}:role:3:perms\n"), run.all());
            assertTrue(run.out().contains("dry run of 4 records from " + file + ": 2 changes, 1 markers and 1 "
                    + "tombstones skipped"), run.all());
            assertTrue(run.out().contains("would invalidate 4 cache keys and 0 namespaces; nothing was changed"),
                    run.all());
            for (CacheKey key : BUSTED) {
                assertTrue(redis.cached(key), "a dry run deleted " + key);
            }
            // Nothing was published: a marker broadcast sent now arrives first.
            redis.sync().publish(redis.keySpace().evictionChannel(), "v2 " + redis.keySpace().prefix() + " "
                    + redis.rules().fingerprint() + " after-dry-run 1 1");
            assertEquals("after-dry-run", broadcasts.next(WAIT).publisherId());
        }
    }

    @Test
    void replayDeletesExactlyTheKeysTheRulesNameThenBroadcastsThem() throws Exception {
        Path file = file(userUpdated(), EventLines.write(Events.markerRecord(USERS, 12)), roleCreated());
        try (TestRedis.Broadcasts broadcasts = redis.subscribe()) {
            CliRunner.Run run = replay(file);
            assertEquals(ExitCodes.OK, run.exit(), run.all());
            for (CacheKey key : BUSTED) {
                assertFalse(redis.cached(key), key + " (value and lease) should be deleted");
            }
            for (CacheKey key : BYSTANDERS) {
                assertTrue(redis.cached(key), key + " is not named by any event and must survive");
            }
            EvictionMessage message = broadcasts.next(WAIT);
            assertEquals(Set.copyOf(BUSTED), Set.copyOf(message.keys()));
            assertTrue(message.namespaces().isEmpty());
            assertNull(message.watermark(), "a replay does not move the pipeline's watermark");
            assertFalse(message.flushAll());
            assertTrue(run.out().contains("replayed 3 records from " + file + ": 2 changes, 1 markers and 0 "
                    + "tombstones skipped"), run.all());
            assertTrue(run.out().contains("deleted 8 Redis keys (values and leases) for 4 cache keys and 0 "
                    + "namespaces; 1 broadcast on " + redis.keySpace().evictionChannel()), run.all());
            assertTrue(broadcasts.drain().isEmpty(), "one batch, one broadcast");
        }
    }

    @Test
    void malformedLinesAreReportedByNumberAndTheRestStillReplays() throws Exception {
        Path file = file(userUpdated(), "{\"topic\":\"commitcast.public.users\",", roleCreated());
        CliRunner.Run run = replay(file);
        assertEquals(ExitCodes.PARTIAL, run.exit(), run.all());
        assertTrue(run.err().contains("line 2: malformed, skipped: not JSON"), run.all());
        assertTrue(run.out().contains("1 malformed lines skipped"), run.all());
        assertTrue(run.out().contains("problems at: line 2 (exit code 3)"), run.all());
        for (CacheKey key : BUSTED) {
            assertFalse(redis.cached(key), key + " should be deleted by the well-formed lines");
        }
        assertTrue(redis.cached(DemoKeys.settings(7)));
    }

    @Test
    void anUndecodableEventOverInvalidatesItsTableAsTheInvalidatorDoes() throws Exception {
        String noOrg = EventLines.write(Events.record(USERS, 20, "{\"id\":9}", change("users", "c", null,
                row("id", 9), 5002, Instant.now())));
        CliRunner.Run run = replay(file(noOrg), "--dry-run");
        assertEquals(ExitCodes.PARTIAL, run.exit(), run.all());
        assertTrue(run.err().contains("line 1  " + USERS + "-0@20: cannot decode or map"), run.all());
        assertTrue(run.err().contains("over-invalidating namespace kinds=user,user_list"), run.all());

        run = replay(file(noOrg));
        assertEquals(ExitCodes.PARTIAL, run.exit(), run.all());
        assertFalse(redis.cached(DemoKeys.user(8, 9)), "every user key of every organisation goes");
        assertFalse(redis.cached(DemoKeys.userList(8)));
        assertTrue(redis.cached(DemoKeys.settings(7)), "other kinds stay");
        assertTrue(redis.cached(DemoKeys.rolePermissions(7, 4)));
    }

    @Test
    void recordsOfOtherTopicsAreSkipped() throws Exception {
        String heartbeat = EventLines.write(Events.record("commitcast.message", 1, null, "{\"op\":\"m\"}"));
        CliRunner.Run run = replay(file(heartbeat));
        assertEquals(ExitCodes.OK, run.exit(), run.all());
        assertTrue(run.out().contains("1 records of other topics skipped"), run.all());
        assertTrue(redis.cached(DemoKeys.settings(7)), "a heartbeat message must not flush anything");
    }
}
