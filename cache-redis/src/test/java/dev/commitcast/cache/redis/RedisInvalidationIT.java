package dev.commitcast.cache.redis;

import dev.commitcast.devstack.DevStack;
import dev.commitcast.keys.CacheKey;
import dev.commitcast.keys.Invalidation;
import dev.commitcast.keys.KeyCodec;
import dev.commitcast.keys.KeyKind;
import dev.commitcast.keys.KeySpace;
import dev.commitcast.keys.Namespace;
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

    private final KeyCodec codec = new KeyCodec(new KeySpace("inv" + SPACES.incrementAndGet()));
    private final RedisCommands<String, String> sync = connection.sync();
    private final RedisInvalidation invalidation = new RedisInvalidation(connection.async(), codec);

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

    @Test
    void deletesValuesAndTheirLeasesAndNothingElse() throws Exception {
        CacheKey user = CacheKey.user(42, 9);
        CacheKey list = CacheKey.userList(42);
        CacheKey otherOrg = CacheKey.user(43, 9);
        for (CacheKey key : List.of(user, list, otherOrg)) {
            sync.set(codec.render(key), "v");
            sync.set(codec.leaseKey(key), "token");
        }
        long deleted = invalidation.invalidate(Set.of(user, list, CacheKey.settings(7)))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertEquals(4, deleted, "two values and two leases; the absent settings key is ignored");
        assertEquals(0, sync.exists(codec.render(user), codec.leaseKey(user), codec.render(list), codec.leaseKey(list)));
        assertEquals(2, sync.exists(codec.render(otherOrg), codec.leaseKey(otherOrg)));
        assertEquals(0, invalidation.invalidate(Set.of(user)).toCompletableFuture().get(5, TimeUnit.SECONDS),
                "idempotent: a replay deletes nothing and does not fail");
    }

    @Test
    void namespaceDeletesAcrossManyScanPagesWithinItsScopeOnly() throws Exception {
        List<CacheKey> inScope = new ArrayList<>();
        for (long user = 1; user <= 2_500; user++) { // several SCAN pages
            CacheKey key = CacheKey.user(5, user);
            inScope.add(key);
            sync.set(codec.render(key), "v");
        }
        sync.set(codec.leaseKey(CacheKey.user(5, 1)), "token");
        sync.set(codec.render(CacheKey.userList(6)), "v");
        CacheKey settings = CacheKey.settings(5);
        CacheKey otherSpace = CacheKey.user(5, 1);
        KeyCodec otherCodec = new KeyCodec(new KeySpace("other" + SPACES.incrementAndGet()));
        sync.set(codec.render(settings), "v");
        sync.set(otherCodec.render(otherSpace), "v");

        long deleted = invalidation.invalidate(Invalidation.of(Namespace.kinds(KeyKind.USER, KeyKind.USER_LIST)))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertEquals(2_500 + 1 + 1, deleted);
        assertFalse(inScope.stream().anyMatch(key -> sync.exists(codec.render(key)) > 0));
        assertEquals(1, sync.exists(codec.render(settings)), "other kinds survive");
        assertEquals(1, sync.exists(otherCodec.render(otherSpace)), "other key spaces survive");
    }

    @Test
    void orgNamespaceDeletesEveryKindOfThatOrg() throws Exception {
        List<CacheKey> org = List.of(CacheKey.settings(8), CacheKey.roles(8), CacheKey.rolePermissions(8, 3),
                CacheKey.user(8, 1), CacheKey.userList(8));
        org.forEach(key -> sync.set(codec.render(key), "v"));
        sync.set(codec.render(CacheKey.settings(80)), "v");

        invalidation.invalidate(Namespace.org(8)).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertTrue(org.stream().noneMatch(key -> sync.exists(codec.render(key)) > 0));
        assertEquals(1, sync.exists(codec.render(CacheKey.settings(80))), "org 80 is not org 8");
    }

    @Test
    void hashTagIsTheTextBetweenTheFirstBraces() {
        assertEquals("42", RedisInvalidation.hashTag("cc:v1:org:{42}:user:9:lease"));
        assertEquals("plain", RedisInvalidation.hashTag("plain"));
        assertEquals("a{}b", RedisInvalidation.hashTag("a{}b"));
    }
}
