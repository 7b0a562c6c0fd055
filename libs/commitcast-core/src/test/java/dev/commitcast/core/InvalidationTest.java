package dev.commitcast.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InvalidationTest {

    private final Rules rules = TestRules.demo();
    private final KeyKind user = rules.kind("user");

    @Test
    void theBuilderIsTheUnionInInsertionOrder() {
        CacheKey a = user.key(1L, 10L);
        CacheKey b = user.key(1L, 11L);
        CacheKey c = user.key(2L, 12L);
        Namespace org = rules.parseNamespace("tag=2");
        List<Invalidation> changes = List.of(Invalidation.of(b, a), Invalidation.of(a), Invalidation.empty(),
                Invalidation.of(org), Invalidation.of(c, b));

        Invalidation.Builder builder = Invalidation.builder();
        Invalidation folded = Invalidation.empty();
        for (Invalidation change : changes) {
            builder.add(change);
            folded = folded.union(change);
        }
        Invalidation built = builder.build();

        assertEquals(folded, built, "the same as folding with union");
        assertEquals(List.of(b, a, c), List.copyOf(built.keys()), "first-seen order, no duplicates");
        assertEquals(List.of(org), List.copyOf(built.namespaces()));
    }

    @Test
    void buildStartsOverAndLeavesWhatItBuiltAlone() {
        Invalidation.Builder builder = Invalidation.builder();
        assertSame(Invalidation.empty(), builder.build());
        Invalidation first = builder.add(Invalidation.of(user.key(1L, 10L))).build();
        assertTrue(builder.isEmpty());
        Invalidation second = builder.add(Invalidation.of(user.key(1L, 11L))).build();
        assertEquals(1, first.keys().size(), "the first build is not changed by later adds");
        assertEquals(List.of(user.key(1L, 11L)), List.copyOf(second.keys()));
    }
}
