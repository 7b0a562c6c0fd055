package dev.commitcast.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamespaceTest {

    private final Rules rules = TestRules.demo();
    private final KeyKind user = rules.kind("user");
    private final KeyKind userList = rules.kind("user_list");
    private final KeyKind settings = rules.kind("settings");

    @Test
    void wireFormsRoundTrip() {
        for (String wire : List.of("*", "tag=42", "kinds=user,user_list", "tag=42;kinds=settings", "kinds=role_permissions")) {
            assertEquals(wire, rules.parseNamespace(wire).wire());
        }
        assertEquals("*", rules.namespace(List.of(), null).wire());
        assertEquals("tag=7", rules.namespace(List.of(), "7").wire(), "every kind (all have a hash tag)");
        assertEquals("kinds=user,user_list", rules.namespace(List.of(userList, user, user), null).wire(),
                "declaration order, no duplicates");
    }

    @Test
    void badWireFormsAreNamed() {
        for (String wire : List.of("", "org=42", "kinds=", "kinds=user,user", "kinds=nope", "tag=", "tag=4{2}",
                "tag=42;", "tag=42;org=1", "tag=042", "tag=x;kinds=user", "tag=+1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> rules.parseNamespace(wire), wire);
            assertTrue(e.getMessage().startsWith("not a namespace: \"" + wire + "\""), e.getMessage());
        }
    }

    @Test
    void aTagNoKeyCanHaveIsRefusedInsteadOfDeletingNothing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rules.parseNamespace("tag=042"));
        assertTrue(e.getMessage().contains("\"042\" is not how a bigint renders in a key (kind settings's hash tag {org})"),
                e.getMessage());
    }

    @Test
    void aLeaseKeyIsNeverAnotherKindsValueKey() {
        Rules twoShapes = Rules.parse("""
                format: 1
                keyspace: { prefix: cc, version: 1 }
                kinds:
                  item: { key: "item:{id}", parts: { id: bigint }, ttl: 60s }
                  item_field: { key: "item:{id}:{name}", parts: { id: bigint, name: text }, ttl: 60s }
                tables:
                  public.items:
                    invalidate: [ { kind: item, bind: { id: id } }, { kind: item_field, bind: { id: id, name: name } } ]
                """, "two-shapes.yml");
        KeySpace space = twoShapes.keySpace();
        CacheKey item = twoShapes.kind("item").key(9L);
        CacheKey fieldNamedLease = twoShapes.kind("item_field").key(9L, "lease");
        assertTrue(!space.leaseKey(item).equals(space.valueKey(fieldNamedLease)), space.leaseKey(item));
        assertEquals(item, twoShapes.keyOfRedisKey(space.leaseKey(item)));
        assertEquals(fieldNamedLease, twoShapes.keyOfRedisKey(space.valueKey(fieldNamedLease)));
        assertTrue(twoShapes.parseNamespace("kinds=item").matches(twoShapes.keyOfRedisKey(space.leaseKey(item))),
                "a namespace SCAN of item finds item's lease");
    }

    @Test
    void matchesByKindAndHashTag() {
        Namespace org42 = rules.parseNamespace("tag=42");
        assertTrue(org42.matches(user.key(42, 9)));
        assertTrue(org42.matches(settings.key(42)));
        assertFalse(org42.matches(user.key(420, 9)), "the whole tag, not a prefix");
        assertFalse(org42.matches(user.key(4, 9)));
        Namespace users = rules.parseNamespace("kinds=user,user_list");
        assertTrue(users.matches(user.key(1, 2)));
        assertFalse(users.matches(settings.key(1)));
        assertTrue(rules.everything().matches(settings.key(1)));
        assertTrue(rules.everything().isEverything());
        assertFalse(org42.isEverything());
    }

    @Test
    void scanPatternsCoverTheNamespaceAndParsingKeepsOnlyIt() {
        KeySpace space = rules.keySpace();
        assertEquals(List.of("cc:v1:*"), rules.everything().scanPatterns(space));
        assertEquals(List.of("cc:v1:org:{42}:settings*", "cc:v1:org:{42}:roles*", "cc:v1:org:{42}:role:*:perms*",
                "cc:v1:org:{42}:user:**", "cc:v1:org:{42}:users:first*"), rules.parseNamespace("tag=42").scanPatterns(space));
        assertEquals(List.of("cc:v1:org:{*}:user:**", "cc:v1:org:{*}:users:first*"),
                rules.parseNamespace("kinds=user,user_list").scanPatterns(space));
        // what SCAN returns is parsed before deleting: values and leases of the namespace, nothing else
        assertEquals(user.key(42, 9), rules.keyOfRedisKey("cc:v1:org:{42}:user:9#lease"));
        assertEquals(user.key(42, 9), rules.keyOfRedisKey("cc:v1:org:{42}:user:9"));
        assertEquals(null, rules.keyOfRedisKey("cc:v2:org:{42}:user:9"));
        assertEquals(null, rules.keyOfRedisKey("cc:sys:watermark"));
        assertEquals(null, rules.keyOfRedisKey("cc:v1:org:{42}:user:9:extra"));
    }

    @Test
    void aTagNeedsKindsWithAHashTag() {
        Rules catalog = TestRules.catalog();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> catalog.namespace(List.of(catalog.kind("product_by_sku")), "x"));
        assertTrue(e.getMessage().contains("kind product_by_sku has no hash tag"), e.getMessage());
        String uuid = "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
        assertEquals("tag=" + uuid + ";kinds=product,price,category_products",
                catalog.parseNamespace("tag=" + uuid).wire(), "a tag alone means every kind with a hash tag");
    }
}
