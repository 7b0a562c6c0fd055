package dev.commitcast.e2e;

import dev.commitcast.invalidator.apply.ApplyHooks;
import dev.commitcast.invalidator.apply.BatchInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Read-your-writes through the whole platform (issue 11, item 5): a write on one instance answers
 * {@code X-Commitcast-Lsn}; a read on the other instance that presents it never returns the value from before the
 * write — from its caches once it has applied the write, else (after the 100 ms wait) from Postgres. With a slow
 * invalidator the same read without the token returns the old value from L1, which shows what the token prevents.
 */
class ReadYourWritesIT {

    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(15);
    private static final Pattern LSN = Pattern.compile("[0-9A-F]{1,8}/[0-9A-F]{1,8}");
    private static Platform platform;

    @BeforeAll
    static void start() throws Exception {
        platform = Platform.start("ryw", 2, EndToEndIT.LONG_TTLS);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aWriteIsReadBackThroughTheOtherInstanceEveryTime() {
        Api writer = platform.api(0);
        Api reader = platform.api(1);
        String path = "/v1/orgs/2/users/" + firstUserOf(2);
        for (int i = 0; i < 20; i++) {
            EndToEndIT.warmL1(platform, path);
            String name = "Ryw " + i;
            Api.Written written = writer.write("PATCH", path, "{\"displayName\":\"" + name + "\"}");
            assertEquals(200, written.status());
            assertNotNull(written.lsn(), "a write answers its read-your-writes token");
            assertTrue(LSN.matcher(written.lsn()).matches(), written.lsn());
            Api.Reply read = reader.get(path, written.lsn());
            assertEquals(200, read.status());
            assertTrue(read.body().contains("\"displayName\":\"" + name + "\""),
                    "read " + i + " with the token returned " + read.body() + " [" + read.cache() + "]");
        }
    }

    @Test
    void withASlowInvalidatorTheTokenReadsPostgresAndWithoutItTheOldValueIsServed() throws Exception {
        Api writer = platform.api(0);
        Api reader = platform.api(1);
        String path = "/v1/orgs/3/users/" + firstUserOf(3);
        platform.stopInvalidator();
        platform.startInvalidator(new ApplyHooks() {
            @Override
            public void beforeDelete(BatchInfo batch) {
                try {
                    Thread.sleep(1_000); // every batch's deletes and broadcast come a second late
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try {
            EndToEndIT.warmL1(platform, path);
            Api.Written written = writer.write("PATCH", path, "{\"displayName\":\"Slow pipeline\"}");
            assertEquals(200, written.status());

            Api.Reply withoutToken = reader.get(path);
            Api.Reply withToken = reader.get(path, written.lsn());
            assertTrue(withToken.body().contains("\"displayName\":\"Slow pipeline\""),
                    "with the token: " + withToken.body() + " [" + withToken.cache() + "]");
            assertEquals("BYPASS", withToken.cache(), "the write was not applied within the wait: read Postgres");
            assertTrue(!withoutToken.body().contains("Slow pipeline") && "L1".equals(withoutToken.cache()),
                    "without the token the instance still serves its cached value: " + withoutToken.body());

            Wait.until("the slow pipeline applied the write; the token now reads the caches", VISIBLE_WITHIN,
                    () -> reader.get(path, written.lsn()),
                    r -> r.trusted() && r.body().contains("\"displayName\":\"Slow pipeline\""));
        } finally {
            platform.stopInvalidator();
            platform.startInvalidator(ApplyHooks.NONE);
        }
    }

    @Test
    void anInvalidTokenIsA400NamingTheHeader() {
        Api.Reply reply = platform.api(0).get("/v1/orgs/1/settings", "yesterday");
        assertEquals(400, reply.status());
        assertTrue(reply.body().contains("X-Commitcast-Lsn") && reply.body().contains("yesterday"), reply.body());
    }

    private static long firstUserOf(long org) {
        try (var c = platform.sql(); var s = c.createStatement();
             var rs = s.executeQuery("select min(id) from users where org_id = " + org)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
