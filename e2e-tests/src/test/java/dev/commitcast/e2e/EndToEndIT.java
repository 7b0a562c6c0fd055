package dev.commitcast.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.commitcast.testsupport.Repo;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A change made with plain SQL, not through the API, becomes visible through both api-service instances: the
 * pipeline deletes the Redis entry and evicts both L1s. TTLs are set to ten minutes, so nothing but an invalidation
 * can explain a fresh answer within the test's deadlines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // start/stop are instance methods, overridden by the Cluster* variant
class EndToEndIT {
    /** The api-service instances run the demo's rules with every TTL at ten minutes (same fingerprint). */
    static final Map<String, String> LONG_TTLS = Map.of(
            "commitcast.rules", Repo.demoRulesWithTtls("10m").toString(),
            "commitcast.cache.l1.max-ttl", "10m");
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(15);

    static Platform platform;

    @BeforeAll
    void start() throws Exception {
        platform = Platform.start("e2e", 2, LONG_TTLS);
    }

    @AfterAll
    void stop() {
        platform.close();
    }

    @Test
    void sqlUpdateIsVisibleThroughBothInstancesAndEvictsBothL1s() throws Exception {
        long user = Platform.DATA.userId(1, 3);
        String path = "/v1/orgs/1/users/" + user;
        warmL1(path);

        platform.commit("update users set display_name = 'Updated By SQL' where id = " + user);

        for (Api api : platform.apis()) {
            Api.Reply reply = Wait.until(api + " shows the update", VISIBLE_WITHIN, () -> api.get(path),
                    r -> r.trusted() && r.body().contains("Updated By SQL"));
            assertFalse("L1".equals(reply.cache()), "the first fresh answer cannot come from the old L1 entry");
        }
    }

    @Test
    void sqlInsertBustsTheNegativeCacheOnBothInstances() throws Exception {
        long id = 900_001;
        String path = "/v1/orgs/2/users/" + id;
        for (Api api : platform.apis()) {
            assertEquals(404, api.get(path).status());
            assertEquals(404, api.get(path).status());
            assertEquals("L1", api.get(path).cache(), "the 404 is cached");
        }

        platform.commit("insert into users (id, org_id, email, display_name) values (" + id
                + ", 2, 'new.person@org2.example', 'New Person')");

        for (Api api : platform.apis()) {
            Wait.until(api + " finds the inserted user", VISIBLE_WITHIN, () -> api.get(path),
                    r -> r.trusted() && r.status() == 200 && r.body().contains("New Person"));
        }
    }

    @Test
    void sqlDeleteIsVisibleOnBothInstancesAndTheUserListFollows() throws Exception {
        long user = Platform.DATA.userId(3, 5);
        String path = "/v1/orgs/3/users/" + user;
        String list = "/v1/orgs/3/users?limit=100";
        warmL1(path);
        warmL1(list);
        assertTrue(platform.api(0).get(list).body().contains("\"id\":" + user));

        platform.commit("delete from users where id = " + user);

        for (Api api : platform.apis()) {
            Wait.until(api + " answers 404 for the deleted user", VISIBLE_WITHIN, () -> api.get(path),
                    r -> r.trusted() && r.status() == 404);
            Wait.until(api + " lists the org without the deleted user", VISIBLE_WITHIN, () -> api.get(list),
                    r -> r.trusted() && r.status() == 200 && !r.body().contains("\"id\":" + user + ","));
        }
    }

    @Test
    void grantingAPermissionWithSqlShowsInThePermissionsOfTheRole() throws Exception {
        long role = Platform.DATA.roleId(4, 1);
        String path = "/v1/orgs/4/roles/" + role + "/permissions";
        warmL1(path);

        platform.commit("insert into role_permissions (org_id, role_id, permission) values (4, " + role
                + ", 'e2e.granted') on conflict do nothing");

        for (Api api : platform.apis()) {
            Wait.until(api + " lists the new permission", VISIBLE_WITHIN, () -> api.get(path),
                    r -> r.trusted() && r.body().contains("e2e.granted"));
        }
    }

    private static void warmL1(String path) {
        warmL1(platform, path);
    }

    /** Reads until every instance answers from L1. */
    static void warmL1(Platform platform, String path) {
        for (Api api : platform.apis()) {
            Wait.until(api + " caches " + path + " in L1", Duration.ofSeconds(10), () -> api.get(path),
                    r -> "L1".equals(r.cache()));
        }
    }
}
