package dev.commitcast.cli.cache;

import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.cli.CliRunner;
import dev.commitcast.cli.ExitCodes;
import dev.commitcast.cli.TestRedis;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.wire.EvictionMessage;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Namespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code flush} against the dev stack's Redis, in a fresh key space. */
class FlushIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final CacheKey[] ORG_42 = {DemoKeys.settings(42), DemoKeys.user(42, 1), DemoKeys.userList(42)};
    private static final CacheKey[] ORG_43 = {DemoKeys.settings(43), DemoKeys.user(43, 1)};

    private TestRedis redis;
    private String otherKeySpaceKey;

    @BeforeEach
    void seed() {
        redis = new TestRedis();
        redis.seed(ORG_42);
        redis.seed(ORG_43);
        otherKeySpaceKey = redis.keySpace().withPrefix(redis.keySpace().prefix() + "x").valueKey(DemoKeys.settings(42));
        redis.sync().set(otherKeySpaceKey, "another environment");
    }

    @AfterEach
    void close() {
        redis.sync().del(otherKeySpaceKey);
        redis.close();
    }

    private CliRunner.Run flush(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("flush", "--redis", redis.uri(), "--key-space",
                redis.keySpace().prefix(), "--rules", redis.rulesFile()));
        all.addAll(List.of(args));
        return CliRunner.run(commandLine -> {
            FlushCommand command = CliRunner.command(commandLine, "flush");
            command.in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        }, all.toArray(String[]::new));
    }

    @Test
    void yesDeletesTheNamespaceAndBroadcastsIt() throws Exception {
        try (TestRedis.Broadcasts broadcasts = redis.subscribe()) {
            CliRunner.Run run = flush("", "--namespace", "tag=42", "--yes");
            assertEquals(ExitCodes.OK, run.exit(), run.all());
            assertTrue(run.out().contains("deleted 6 Redis keys (values and leases)"), run.all());
            for (CacheKey key : ORG_42) {
                assertFalse(redis.cached(key), key.toString());
            }
            for (CacheKey key : ORG_43) {
                assertTrue(redis.cached(key), key.toString());
            }
            assertEquals(1, redis.sync().exists(otherKeySpaceKey), "another key space is untouched");
            EvictionMessage message = broadcasts.next(WAIT);
            assertEquals(List.of(DemoKeys.org(42)), message.namespaces());
            assertTrue(message.keys().isEmpty());
            assertFalse(message.flushAll());
            assertNull(message.watermark());
        }
    }

    @Test
    void withoutYesAndWithEmptyStdinItRefuses() {
        CliRunner.Run run = flush("", "--namespace", "tag=42");
        assertEquals(ExitCodes.FAILED, run.exit(), run.all());
        assertTrue(run.out().contains("Type 'yes' to continue"), run.all());
        assertTrue(run.err().contains("refused: no confirmation"), run.all());
        for (CacheKey key : ORG_42) {
            assertTrue(redis.cached(key), key + " must survive a refused flush");
        }
        run = flush("no\n", "--namespace", "tag=42");
        assertEquals(ExitCodes.FAILED, run.exit(), run.all());
        assertTrue(redis.cached(DemoKeys.settings(42)));
    }

    @Test
    void answeringYesFlushesOnlyTheKinds() {
        CliRunner.Run run = flush("yes\n", "--namespace", "kinds=user");
        assertEquals(ExitCodes.OK, run.exit(), run.all());
        assertFalse(redis.cached(DemoKeys.user(42, 1)));
        assertFalse(redis.cached(DemoKeys.user(43, 1)));
        assertTrue(redis.cached(DemoKeys.userList(42)), "users:first is another kind");
        assertTrue(redis.cached(DemoKeys.settings(43)));
    }

    @Test
    void everythingIsAFlushAll() throws Exception {
        try (TestRedis.Broadcasts broadcasts = redis.subscribe()) {
            CliRunner.Run run = flush("", "--namespace", "*", "--yes");
            assertEquals(ExitCodes.OK, run.exit(), run.all());
            for (CacheKey key : ORG_42) {
                assertFalse(redis.cached(key), key.toString());
            }
            for (CacheKey key : ORG_43) {
                assertFalse(redis.cached(key), key.toString());
            }
            assertEquals(1, redis.sync().exists(otherKeySpaceKey), "another key space is untouched");
            assertTrue(broadcasts.next(WAIT).flushAll());
        }
    }
}
