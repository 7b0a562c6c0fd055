package dev.commitcast.redis;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Namespace;
import dev.commitcast.core.Operation;
import dev.commitcast.core.RowChange;
import dev.commitcast.core.Rules;
import dev.commitcast.core.SourcePosition;
import dev.commitcast.devstack.DevStack;
import dev.commitcast.testsupport.Repo;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The race of issue 9 (namespace invalidation vs a fill), made deterministic: a reader takes the fill lease of
 * {@code org:{42}:roles} and reads Postgres (the old roles); the organisation is then deleted (or the table truncated,
 * or an undecodable event falls back, or an operator flushes), and the invalidation's SCAN passes the value's bucket
 * (the value is not there yet) before it reaches the lease's. Exactly then the reader's fill lands. Without a fence
 * the fill consumes its lease, so the SCAN finds nothing to delete and the old roles stay in Redis until their TTL.
 * The generation fence rejects the fill. The SCAN order is forced by a scanner that returns the lease last; one case
 * per path that invalidates a namespace, each with the namespace that path really produces.
 */
class NamespaceFillRaceIT {
    private static final AtomicInteger SPACES = new AtomicInteger();
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;

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

    static Stream<Arguments> paths() {
        Rules rules = Repo.demoRules();
        SourcePosition at = new SourcePosition(1, Instant.EPOCH, 1);
        return Stream.of(
                Arguments.of("organisation deleted", (Function<Rules, Namespace>) r -> only(r.evaluate(
                        new RowChange("public", "orgs", Operation.DELETE, Map.of("id", 42), null, at))
                        .namespaces())),
                Arguments.of("roles truncated", (Function<Rules, Namespace>) r -> only(r.evaluate(
                        new RowChange("public", "roles", Operation.TRUNCATE, null, null, at)).namespaces())),
                Arguments.of("undecodable roles event", (Function<Rules, Namespace>) r ->
                        only(r.fallbackFor("public.roles").namespaces())),
                Arguments.of("undecodable event of an unknown table", (Function<Rules, Namespace>) r ->
                        only(r.fallbackFor(null).namespaces())),
                Arguments.of("commitcast flush --namespace tag=42", (Function<Rules, Namespace>) r ->
                        r.parseNamespace("tag=42")));
    }

    private static Namespace only(java.util.Set<Namespace> namespaces) {
        assertEquals(1, namespaces.size(), namespaces.toString());
        return namespaces.iterator().next();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void aFillLeasedBeforeANamespaceInvalidationCannotLandAfterIt(String path, Function<Rules, Namespace> produce)
            throws Exception {
        Rules rules = Repo.demoRules("race" + SPACES.incrementAndGet());
        KeySpace space = rules.keySpace();
        RedisAsyncCommands<String, String> redis = connection.async();
        CacheKey roles = rules.kind("roles").key(42);
        String[] keys = FillProtocol.keys(space, roles);
        connection.sync().set(space.valueKey(rules.kind("settings").key(42)), "another key of the namespace");

        // the reader: lease granted; it reads the old roles from Postgres
        List<Object> lease = get(FillProtocol.LEASE.run(redis, ScriptOutputType.MULTI, keys, "reader-1", "10000"));
        assertEquals(FillProtocol.GRANTED, lease.getFirst());

        // the invalidation: its SCAN yields the lease last, and the reader's fill lands in between
        Namespace namespace = produce.apply(rules);
        List<Long> fills = new ArrayList<>();
        RedisInvalidation invalidation = new RedisInvalidation(redis, rules, (pattern, page, deleted) ->
                collect(redis, pattern).thenCompose(all -> {
                    List<String> leases = all.stream().filter(KeySpace::isLeaseKey).toList();
                    List<String> values = all.stream().filter(k -> !KeySpace.isLeaseKey(k)).toList();
                    boolean rolesPattern = leases.contains(keys[1]);
                    return page.apply(values).thenCompose(first -> {
                        deleted[0] += first;
                        // the SCAN of roles' pattern passed the value: now the fill (asynchronously: this runs on
                        // the connection's I/O thread)
                        return rolesPattern ? FillProtocol.FILL.<Long>run(redis, ScriptOutputType.INTEGER, keys,
                                "reader-1", "old roles", "60000") : CompletableFuture.completedFuture(-1L);
                    }).thenCompose(filled -> {
                        if (rolesPattern) {
                            fills.add(filled);
                        }
                        return page.apply(leases);
                    }).thenApply(second -> {
                        deleted[0] += second;
                        return null;
                    });
                }));
        get(invalidation.invalidate(namespace));

        assertEquals(List.of(0L), fills, path + ": the fill leased before the invalidation is rejected");
        assertNull(connection.sync().get(space.valueKey(roles)), path + ": no old value survives the invalidation");
        assertNull(connection.sync().get(space.leaseKey(roles)), path + ": the rejected reader's lease is gone");

        // and the next reader, who reads Postgres after the invalidation, fills as usual
        List<Object> next = get(FillProtocol.LEASE.run(redis, ScriptOutputType.MULTI, keys, "reader-2", "10000"));
        assertEquals(FillProtocol.GRANTED, next.getFirst());
        assertEquals(1L, (Long) get(FillProtocol.FILL.run(redis, ScriptOutputType.INTEGER, keys, "reader-2",
                "new roles", "60000")));
        assertEquals("new roles", connection.sync().get(space.valueKey(roles)));
    }

    private static CompletionStage<List<String>> collect(RedisAsyncCommands<String, String> redis, String pattern) {
        List<String> all = new ArrayList<>();
        return collect(redis, ScanCursor.INITIAL, ScanArgs.Builder.matches(pattern).limit(1000), all)
                .thenApply(done -> all);
    }

    private static CompletionStage<Void> collect(RedisAsyncCommands<String, String> redis, ScanCursor cursor,
                                                 ScanArgs args, List<String> into) {
        return redis.scan(cursor, args).thenCompose((KeyScanCursor<String> page) -> {
            into.addAll(page.getKeys());
            return page.isFinished() ? CompletableFuture.completedFuture(null) : collect(redis, page, args, into);
        });
    }

    private static <T> T get(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
