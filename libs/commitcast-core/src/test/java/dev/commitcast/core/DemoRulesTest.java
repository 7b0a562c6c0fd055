package dev.commitcast.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's shipped rules produce exactly the keys, TTLs and invalidations the demo had before rules were data. */
class DemoRulesTest {

    private final Rules rules = TestRules.demo();
    private final KeySpace space = rules.keySpace();

    @Test
    void keysAreExactlyTheDemosKeys() {
        assertEquals("cc:v1:org:{42}:settings", space.valueKey(rules.kind("settings").key(42)));
        assertEquals("cc:v1:org:{42}:roles", space.valueKey(rules.kind("roles").key(42)));
        assertEquals("cc:v1:org:{42}:role:7:perms", space.valueKey(rules.kind("role_permissions").key(42, 7)));
        assertEquals("cc:v1:org:{42}:user:9", space.valueKey(rules.kind("user").key(42, 9)));
        assertEquals("cc:v1:org:{42}:users:first", space.valueKey(rules.kind("user_list").key(42)));
        assertEquals("cc:v1:org:{42}:user:9#lease", space.leaseKey(rules.kind("user").key(42, 9)));
        assertEquals("cc:sys:evictions", space.evictionChannel());
        assertEquals("cc:sys:watermark", space.watermarkKey());
    }

    @Test
    void theGenericAndTheUnboxedBuildersAgree() {
        KeyKind user = rules.kind("user");
        assertEquals(user.key(42L, 9L), user.key((Object) 42, (Object) 9L));
        assertEquals(user.key(42, 9), user.key(List.of(42, 9).toArray()));
        assertEquals("42", user.key(42, 9).hashTag());
        assertEquals(List.of(42L, 9L), user.key(42, 9).parts());
        assertEquals(9L, user.key(42, 9).longPart("id"));
    }

    @Test
    void ttlsAreTheDemosTtls() {
        assertEquals(Duration.ofSeconds(300), rules.kind("settings").ttl());
        assertEquals(Duration.ofSeconds(600), rules.kind("roles").ttl());
        assertEquals(Duration.ofSeconds(900), rules.kind("role_permissions").ttl());
        assertEquals(Duration.ofSeconds(15), rules.kind("user").ttl());
        assertEquals(Duration.ofSeconds(60), rules.kind("user_list").ttl());
        for (KeyKind kind : rules.kinds()) {
            assertEquals(Duration.ofSeconds(5), kind.negativeTtl());
            assertEquals(0.1, kind.jitter());
        }
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            long millis = rules.kind("user").l2Ttl(random).toMillis();
            assertTrue(millis >= 13_500 && millis <= 16_500, "15 s ± 10 %: " + millis);
        }
    }

    @Test
    void theShippedRuleTestsPass() {
        List<RuleTests.Result> results = RuleTests.load(TestRules.DEMO_TESTS, null).run();
        assertTrue(results.size() >= 25, "examples: " + results.size());
        for (RuleTests.Result result : results) {
            assertTrue(result.passed(), result.name() + " (line " + result.line() + "): " + result.diff());
        }
    }

    @Test
    void theFallbackOfATableIsItsTruncate() {
        assertEquals("[Namespace[kinds=user,user_list]]",
                rules.fallbackFor("public.users").namespaces().toString());
        assertTrue(rules.fallbackFor("public.orgs").namespaces().iterator().next().isEverything());
        assertTrue(rules.fallbackFor("public.accounts").namespaces().iterator().next().isEverything());
        assertTrue(rules.fallbackFor(null).namespaces().iterator().next().isEverything());
    }

    @Test
    void everyKeyOfAnOrganisationAndItsLeaseShareTheOrganisationsSlot() {
        for (long org : new long[] {1, 42, 1_000_003}) {
            int slot = HashSlot.ofTag(Long.toString(org));
            for (CacheKey key : List.of(rules.kind("settings").key(org), rules.kind("roles").key(org),
                    rules.kind("role_permissions").key(org, 7), rules.kind("user").key(org, 9),
                    rules.kind("user_list").key(org))) {
                assertEquals(slot, HashSlot.of(space.valueKey(key)), space.valueKey(key));
                assertEquals(slot, HashSlot.of(space.leaseKey(key)), space.leaseKey(key));
            }
        }
    }
}
