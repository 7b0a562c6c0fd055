package dev.commitcast.redis;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.GenerationKeys;
import dev.commitcast.core.HashSlot;
import dev.commitcast.core.Invalidation;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Rules;
import dev.commitcast.devstack.DevStack;
import dev.commitcast.testsupport.Repo;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisInvalidationIT {
    private static final AtomicInteger SPACES = new AtomicInteger();
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;

    private final Rules rules = Repo.demoRules("inv" + SPACES.incrementAndGet());
    private final KeySpace space = rules.keySpace();
    private final RedisCommands<String, String> sync = connection.sync();
    private final RedisInvalidation invalidation = new RedisInvalidation(connection.async(), rules);

    @BeforeAll
    static void connect() {
        client = RedisClient.create(DevStack.shared().redis().uri());
        connection = client.connect();
    }

    @AfterAll
    static void disconnect() {
        connection.close();
        client.shutdown();
    }

    private CacheKey key(String kind, Object... parts) {
        return rules.kind(kind).key(parts);
    }

    @Test
    void deletesValuesAndTheirLeasesAndNothingElse() throws Exception {
        CacheKey user = key("user", 42, 9);
        CacheKey list = key("user_list", 42);
        CacheKey otherOrg = key("user", 43, 9);
        for (CacheKey key : List.of(user, list, otherOrg)) {
            sync.set(space.valueKey(key), "v");
            sync.set(space.leaseKey(key), "token:0");
        }
        long deleted = invalidation.invalidate(Set.of(user, list, key("settings", 7)))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertEquals(4, deleted, "two values and two leases; the absent settings key is ignored");
        assertEquals(0, sync.exists(space.valueKey(user), space.leaseKey(user), space.valueKey(list),
                space.leaseKey(list)));
        assertEquals(2, sync.exists(space.valueKey(otherOrg), space.leaseKey(otherOrg)));
        assertEquals(0, invalidation.invalidate(Set.of(user)).toCompletableFuture().get(5, TimeUnit.SECONDS),
                "idempotent: a replay deletes nothing and does not fail");
    }

    @Test
    void namespaceDeletesAcrossManyScanPagesWithinItsScopeOnly() throws Exception {
        List<CacheKey> inScope = new ArrayList<>();
        for (long user = 1; user <= 2_500; user++) { // several SCAN pages
            CacheKey key = key("user", 5, user);
            inScope.add(key);
            sync.set(space.valueKey(key), "v");
        }
        sync.set(space.leaseKey(key("user", 5, 1)), "token:0");
        sync.set(space.valueKey(key("user_list", 6)), "v");
        CacheKey settings = key("settings", 5);
        Rules other = Repo.demoRules("other" + SPACES.incrementAndGet());
        CacheKey otherSpace = other.kind("user").key(5, 1);
        sync.set(space.valueKey(settings), "v");
        sync.set(other.keySpace().valueKey(otherSpace), "v");

        long deleted = invalidation.invalidate(Invalidation.of(rules.parseNamespace("kinds=user,user_list")))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertEquals(2_500 + 1 + 1, deleted);
        assertFalse(inScope.stream().anyMatch(key -> sync.exists(space.valueKey(key)) > 0));
        assertEquals(1, sync.exists(space.valueKey(settings)), "other kinds survive");
        assertEquals(1, sync.exists(other.keySpace().valueKey(otherSpace)), "other key spaces survive");
    }

    @Test
    void aTagNamespaceDeletesEveryKindOfThatTagAndOnlyIt() throws Exception {
        List<CacheKey> org = List.of(key("settings", 8), key("roles", 8), key("role_permissions", 8, 3),
                key("user", 8, 1), key("user_list", 8));
        org.forEach(key -> sync.set(space.valueKey(key), "v"));
        sync.set(space.valueKey(key("settings", 80)), "v");

        invalidation.invalidate(rules.parseNamespace("tag=8")).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertTrue(org.stream().noneMatch(key -> sync.exists(space.valueKey(key)) > 0));
        assertEquals(1, sync.exists(space.valueKey(key("settings", 80))), "org 80 is not org 8");
    }

    @Test
    void aPatternThatAlsoMatchesAnotherKindDeletesOnlyTheNamespacesKind() throws Exception {
        // "org:{*}:user:**" is the user kind's pattern; a key of another shape under it must survive
        sync.set(space.keyPrefix() + "org:{9}:user:1:profile", "not a key of these rules");
        sync.set(space.valueKey(key("user", 9, 1)), "v");
        invalidation.invalidate(rules.parseNamespace("kinds=user")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(0, sync.exists(space.valueKey(key("user", 9, 1))));
        assertEquals(1, sync.exists(space.keyPrefix() + "org:{9}:user:1:profile"));
    }

    @Test
    void aNamespaceBumpsTheGenerationOfTheSlotsItCanTouch() throws Exception {
        String org7 = GenerationKeys.key(space, HashSlot.ofTag("7"));
        String elsewhere = GenerationKeys.key(space, (HashSlot.ofTag("7") + 1) % HashSlot.SLOTS);
        invalidation.invalidate(rules.parseNamespace("tag=7")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals("1", sync.get(org7));
        assertEquals(null, sync.get(elsewhere), "a tag namespace touches one slot");

        invalidation.invalidate(rules.parseNamespace("kinds=settings")).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals("2", sync.get(org7));
        assertEquals("1", sync.get(elsewhere), "a namespace without tag touches every slot");
        assertEquals(HashSlot.SLOTS, sync.keys(space.systemPrefix() + "gen:*").size());
    }
}
