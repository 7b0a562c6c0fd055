package dev.commitcast.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A rule test that the rules do not satisfy fails with a diff naming what is missing and what is extra. */
class RuleTestsTest {

    @Test
    void aWrongExpectationFailsWithADiff(@TempDir Path dir) throws Exception {
        Path tests = Files.writeString(dir.resolve("t.yml"), """
                rules: %s
                tests:
                  - name: forgot the first page
                    table: public.users
                    op: create
                    after: { id: 9, org_id: 42 }
                    expect:
                      keys: ["org:{42}:user:9", "org:{42}:user:10"]
                  - name: expects malformed but is fine
                    table: public.users
                    op: create
                    after: { id: 9, org_id: 42 }
                    expect: { malformed: "missing" }
                  - name: passes
                    table: public.orgs
                    op: delete
                    before: { id: 1 }
                    expect: { namespaces: ["tag=1"] }
                """.formatted(TestRules.DEMO));
        List<RuleTests.Result> results = RuleTests.load(tests, null).run();
        assertEquals(3, results.size());
        assertFalse(results.get(0).passed());
        assertEquals(List.of("- key org:{42}:user:10   (expected, not invalidated)",
                "+ key org:{42}:users:first   (invalidated, not expected)"), results.get(0).diff());
        assertEquals(3, results.get(0).line());
        assertFalse(results.get(1).passed());
        assertTrue(results.get(1).diff().getFirst().startsWith("! expected malformed \"missing\", but the change "
                + "invalidated [org:{42}:user:9, org:{42}:users:first]"), results.get(1).diff().toString());
        assertTrue(results.get(2).passed());
    }

    @Test
    void aBadTestFileNamesTheLine(@TempDir Path dir) throws Exception {
        Path tests = Files.writeString(dir.resolve("t.yml"), """
                rules: %s
                tests:
                  - name: no op
                    table: public.users
                    after: { id: 9 }
                    expect: { keys: [] }
                """.formatted(TestRules.DEMO));
        RulesException e = assertThrows(RulesException.class, () -> RuleTests.load(tests, null));
        assertTrue(e.getMessage().contains("t.yml:3: tests[0].op: expected create, update, delete, truncate or read"),
                e.getMessage());
    }
}
