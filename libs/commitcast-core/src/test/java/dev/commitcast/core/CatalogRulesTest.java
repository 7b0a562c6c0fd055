package dev.commitcast.core;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The second example's rules: uuid, text and composite keys, a non-public schema, no tenant column. */
class CatalogRulesTest {

    private static final UUID PRODUCT = UUID.fromString("6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f");
    private final Rules rules = TestRules.catalog();

    @Test
    void theShippedRuleTestsPass() {
        List<RuleTests.Result> results = RuleTests.load(TestRules.CATALOG_TESTS, null).run();
        assertTrue(results.size() >= 10);
        for (RuleTests.Result result : results) {
            assertTrue(result.passed(), result.name() + " (line " + result.line() + "): " + result.diff());
        }
    }

    @Test
    void compositeUuidAndTextKeysRenderAndParseBack() {
        KeyKind price = rules.kind("price");
        CacheKey key = price.key(PRODUCT, "EUR");
        assertEquals("product:{6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f}:price:EUR", key.path());
        assertEquals("cat:v1:product:{6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f}:price:EUR",
                rules.keySpace().valueKey(key));
        assertEquals(PRODUCT.toString(), key.hashTag());
        assertEquals(List.of(PRODUCT, "EUR"), key.parts());
        assertEquals(key, rules.parseKey(key.path()));
        assertEquals(key, price.key(PRODUCT.toString().toUpperCase(), "EUR"), "uuids render canonically");

        CacheKey sku = rules.kind("product_by_sku").key("A/B: c%");
        assertEquals("sku:A%2FB%3A%20c%25", sku.path());
        assertEquals("A/B: c%", sku.part("sku"));
        assertEquals(sku, rules.parseKey(sku.path()));
        assertEquals("sku:%", rules.kind("product_by_sku").key("").path(), "the empty string is a lone %");
        assertEquals("", rules.parseKey("sku:%").part("sku"));
        assertEquals("sku:a%3F", rules.kind("product_by_sku").key("a?").path());
        IllegalArgumentException lone = assertThrows(IllegalArgumentException.class,
                () -> rules.kind("product_by_sku").key("a\uD800"), "not rendered as a?, which is another key");
        assertTrue(lone.getMessage().contains("unpaired UTF-16 surrogate"), lone.getMessage());
    }

    @Test
    void leaseKeysAreInTheirValuesSlotWithOrWithoutAHashTag() {
        KeySpace space = rules.keySpace();
        CacheKey price = rules.kind("price").key(PRODUCT, "EUR");
        CacheKey sku = rules.kind("product_by_sku").key("A/B: c%");
        for (CacheKey key : List.of(price, sku)) {
            String value = space.valueKey(key);
            String lease = space.leaseKey(key);
            assertEquals(HashSlot.of(value), HashSlot.of(lease), lease);
            assertTrue(KeySpace.isLeaseKey(lease), lease);
            assertEquals(value, KeySpace.valueKeyOfLease(lease));
            assertEquals(key, rules.keyOfRedisKey(lease), lease);
            assertEquals(null, KeySpace.valueKeyOfLease(value), value);
            assertTrue(rules.parseNamespace("kinds=" + key.kind().name()).matches(rules.keyOfRedisKey(lease)));
        }
        assertEquals(space.valueKey(price) + "#lease", space.leaseKey(price), "a tagged value's lease shares its tag");
        String skuValue = space.valueKey(sku);
        assertEquals(skuValue + "#lease{" + GenerationKeys.tag(HashSlot.of(skuValue)) + "}", space.leaseKey(sku));
        assertNotEquals(HashSlot.of(skuValue), HashSlot.of(skuValue + "#lease"), "why the untagged lease needs a tag");
        assertEquals(null, KeySpace.valueKeyOfLease(skuValue + "#lease{zz}"), "a tag of another slot is no lease");
    }

    @Test
    void parsingIsStrict() {
        for (String path : List.of("product:{6F1C2D3E-4B5A-4C6D-8E7F-9A0B1C2D3E4F}", "product:6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
                "sku:a%2f", "sku:a b", "sku:", "product:{x}", "category:{6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f}")) {
            assertEquals(null, rules.tryParseKey(path), path);
        }
    }

    @Test
    void wrongValueTypesNameKindAndPart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> rules.kind("price").key(42, "EUR"));
        assertEquals("kind price, part product: part type uuid needs a uuid, got Integer 42", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> rules.kind("price").key(PRODUCT));
        assertTrue(e.getMessage().startsWith("kind price has 2 key parts [product, currency], got 1 values"));
        e = assertThrows(IllegalArgumentException.class, () -> rules.kind("product").key(7L));
        assertTrue(e.getMessage().contains("part type uuid needs a uuid, got an integer"), e.getMessage());
    }

    @Test
    void aChangeOfATableInAnotherSchemaIsNotOurs() {
        RowChange change = new RowChange("public", "products", Operation.CREATE,
                null, Map.of("id", PRODUCT.toString()), new SourcePosition(1, java.time.Instant.EPOCH, 1));
        MalformedChangeException e = assertThrows(MalformedChangeException.class, () -> rules.evaluate(change));
        assertTrue(e.getMessage().contains("no rules for this table"), e.getMessage());
        assertTrue(rules.fallbackFor("public.products").namespaces().iterator().next().isEverything());
    }
}
