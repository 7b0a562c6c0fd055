package dev.commitcast.cdc.engine;

import dev.commitcast.core.Rules;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which columns the connector publishes: what the rules read plus the primary key, or everything when unsure. */
class ColumnProjectionTest {

    private static final Rules RULES = Rules.parse("""
            format: 1
            keyspace: { prefix: cc, version: 1 }
            kinds:
              item: { key: "shop:{shop}:item:{id}", parts: { shop: bigint, id: bigint }, hash-tag: shop, ttl: 60s }
              price: { key: "shop:{shop}:price:{sku}", parts: { shop: bigint, sku: text }, hash-tag: shop, ttl: 60s }
            tables:
              public.items:
                invalidate: [ { kind: item, bind: { shop: shop_id, id: id } } ]
                on-delete: [ { hash-tag: shop_id } ]
              public.prices:
                invalidate: [ { kind: price, bind: { shop: shop_id, sku: sku } } ]
                ignore-columns: [updated_at]
              sales.order$lines:
                invalidate: [ { kind: item, bind: { shop: shop, id: item } } ]
            """, "projection.yml");

    private static List<String> entries(String includeList) {
        return List.of(includeList.split(","));
    }

    /** Whether Debezium (a full match of any entry) would publish the column. */
    private static boolean published(String includeList, String column) {
        return entries(includeList).stream().anyMatch(entry -> Pattern.compile(entry).matcher(column).matches());
    }

    @Test
    void aTableWithRulesPublishesItsKeyAndTheColumnsTheRulesRead() {
        String list = ColumnProjection.includeList(RULES, List.of("public.items"),
                Map.of("public.items", List.of("id"))).orElseThrow();
        assertEquals(List.of("public\\.items\\.id", "public\\.items\\.shop_id"), entries(list));
        assertTrue(published(list, "public.items.shop_id"));
        assertFalse(published(list, "public.items.title"), "a column no rule reads");
        assertFalse(published(list, "public.items_archive.id"), "another table with a longer name");
    }

    @Test
    void ignoredColumnsKeepTheWholeRowBecauseOnlyAllColumnsProveThatNothingElseChanged() {
        String list = ColumnProjection.includeList(RULES, List.of("public.items", "public.prices"),
                Map.of("public.items", List.of("id"), "public.prices", List.of("shop_id", "sku"))).orElseThrow();
        assertTrue(published(list, "public.prices.amount"), list);
        assertTrue(published(list, "public.prices.updated_at"), list);
        assertFalse(published(list, "public.items.title"), list);
    }

    @Test
    void tablesWithoutRulesOrPrimaryKeyArePublishedWhole() {
        assertEquals(Optional.empty(), ColumnProjection.includeList(RULES, List.of("public.items", "public.audit"),
                Map.of()), "no primary key known for items, no rules for audit: nothing to project, no list");
        String list = ColumnProjection.includeList(RULES, List.of("public.items", "public.audit"),
                Map.of("public.items", List.of("id"), "public.audit", List.of("id"))).orElseThrow();
        assertTrue(published(list, "public.audit.payload"), list);
    }

    @Test
    void namesThatAreNotPlainIdentifiersAreQuoted() {
        String list = ColumnProjection.includeList(RULES, List.of("sales.order$lines"),
                Map.of("sales.order$lines", List.of("line$no"))).orElseThrow();
        assertTrue(published(list, "sales.order$lines.line$no"), list);
        assertTrue(published(list, "sales.order$lines.shop"), list);
        assertFalse(published(list, "sales.order$linesXline$no"), "the dot is a dot: " + list);
        assertFalse(published(list, "sales.order$lines.note"), list);
    }

    @Test
    void aNameWithACommaCannotBeListedSoItsTableIsPublishedWhole() {
        String list = ColumnProjection.includeList(RULES, List.of("public.items", "sales.order$lines"),
                Map.of("public.items", List.of("id"), "sales.order$lines", List.of("a,b"))).orElseThrow();
        assertTrue(published(list, "sales.order$lines.note"), list);
    }
}
