package dev.commitcast.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every kind of mistake in a rules file is reported with the file, the line and the entry. */
class RulesValidationTest {

    private static final String HEAD = """
            keyspace: { prefix: cc, version: 1 }
            defaults: { ttl: 1m }
            """;

    static Stream<Arguments> invalidFiles() {
        return Stream.of(
                arguments("unknown part in a template", HEAD + """
                        kinds:
                          user:
                            key: "user:{uid}"
                            parts: { id: bigint }
                        tables:
                          public.users:
                            invalidate: [ { kind: user, bind: { id: id } } ]
                        """, "rules.yml:5: kinds.user.key: unknown part {uid} in the template; declared parts are [id]"),
                arguments("a declared part not in the template", HEAD + """
                        kinds:
                          user:
                            key: "user:{id}"
                            parts: { id: bigint, org: bigint }
                        tables:
                          public.users:
                            invalidate: [ { kind: user, bind: { id: id, org: org_id } } ]
                        """, "rules.yml:6: kinds.user.parts.org: declared but not in the key template"),
                arguments("a part bound to no column", HEAD + """
                        kinds:
                          user: { key: "org:{org}:user:{id}", parts: { org: bigint, id: bigint } }
                        tables:
                          public.users:
                            invalidate:
                              - kind: user
                                bind: { id: id }
                        """, "rules.yml:9: tables.public.users.invalidate[0].bind: part org of kind user is bound "
                                + "to no column"),
                arguments("a bind naming no part", HEAD + """
                        kinds:
                          user: { key: "user:{id}", parts: { id: bigint } }
                        tables:
                          public.users:
                            invalidate: [ { kind: user, bind: { id: id, org: org_id } } ]
                        """, "tables.public.users.invalidate[0].bind.org: kind user has no part org"),
                arguments("a duplicate key shape", HEAD + """
                        kinds:
                          user: { key: "x:{id}", parts: { id: bigint } }
                          sku: { key: "x:{code}", parts: { code: text } }
                        tables:
                          public.users:
                            invalidate: [ { kind: user, bind: { id: id } } ]
                        """, "rules.yml:5: kinds.sku.key: has the same key shape as kind user"),
                arguments("a TTL of 0", """
                        keyspace: { prefix: cc, version: 1 }
                        kinds:
                          user: { key: "user:{id}", parts: { id: bigint }, ttl: 0s }
                        tables:
                          public.users:
                            invalidate: [ { kind: user, bind: { id: id } } ]
                        """, "rules.yml:3: kinds.user.ttl: must be positive, was 0s"),
                arguments("no TTL at all", """
                        keyspace: { prefix: cc, version: 1 }
                        kinds:
                          user: { key: "user:{id}", parts: { id: bigint } }
                        tables:
                          public.users:
                            invalidate: [ { kind: user, bind: { id: id } } ]
                        """, "rules.yml:3: kinds.user: no ttl"),
                arguments("an unknown kind in a binding", HEAD + """
                        kinds:
                          user: { key: "user:{id}", parts: { id: bigint } }
                        tables:
                          public.users:
                            invalidate: [ { kind: usr, bind: { id: id } } ]
                        """, "rules.yml:7: tables.public.users.invalidate[0].kind: unknown kind \"usr\"; declared "
                                + "kinds are [user]"),
                arguments("an unqualified table", HEAD + """
                        kinds:
                          user: { key: "user:{id}", parts: { id: bigint } }
                        tables:
                          users:
                            invalidate: [ { kind: user, bind: { id: id } } ]
                        """, "rules.yml:6: tables.users: a table is named schema.table, e.g. public.users"),
                arguments("a duplicate YAML key", HEAD + """
                        kinds:
                          user: { key: "user:{id}", parts: { id: bigint } }
                          user: { key: "u:{id}", parts: { id: bigint } }
                        tables:
                          public.users:
                            invalidate: [ { kind: user, bind: { id: id } } ]
                        """, "rules.yml:5: kinds.user: duplicate key (also on line 4)"),
                arguments("an unknown type", HEAD + """
                        kinds:
                          user: { key: "user:{id}", parts: { id: long } }
                        tables:
                          public.users:
                            invalidate: [ { kind: user, bind: { id: id } } ]
                        """, "kinds.user.parts.id: unknown type \"long\"; use bigint, int, text or uuid"),
                arguments("an ignored bound column", HEAD + """
                        kinds:
                          user: { key: "org:{org}:user:{id}", parts: { org: bigint, id: bigint } }
                        tables:
                          public.users:
                            invalidate: [ { kind: user, bind: { org: org_id, id: id } } ]
                            ignore-columns: [updated_at, org_id]
                        """, "tables.public.users.ignore-columns: column org_id is bound to kind user"),
                arguments("a hash tag on a kind without one", HEAD + """
                        kinds:
                          user: { key: "user:{id}", parts: { id: bigint } }
                        tables:
                          public.users:
                            invalidate: [ { kind: user, bind: { id: id } } ]
                            on-delete: [ { kinds: [user], hash-tag: id } ]
                        """, "kind user has no hash tag"),
                arguments("a part that is not a whole segment", HEAD + """
                        kinds:
                          user: { key: "user-{id}", parts: { id: bigint } }
                        tables:
                          public.users:
                            invalidate: [ { kind: user, bind: { id: id } } ]
                        """, "segment \"user-{id}\" is neither a literal"),
                arguments("an unknown key", HEAD + """
                        kinds:
                          user: { key: "user:{id}", parts: { id: bigint }, ttl-l1: 1s }
                        tables:
                          public.users:
                            invalidate: [ { kind: user, bind: { id: id } } ]
                        """, "rules.yml:4: kinds.user.ttl-l1: unknown key; allowed here:"),
                arguments("an on-truncate narrower than the row rules", HEAD + """
                        kinds:
                          user: { key: "user:{id}", parts: { id: bigint } }
                          users: { key: "org:{org}:users", parts: { org: bigint } }
                        tables:
                          public.users:
                            invalidate: [ { kind: user, bind: { id: id } }, { kind: users, bind: { org: org_id } } ]
                            on-truncate: { kinds: [ users ] }
                        """, "tables.public.users.on-truncate.kinds: must include every kind this table's invalidate "
                        + "and on-delete name (missing [user])"),
                arguments("a table that invalidates nothing", HEAD + """
                        kinds:
                          user: { key: "user:{id}", parts: { id: bigint } }
                        tables:
                          public.users: { ignore-columns: [x] }
                        """, "tables.public.users: invalidates nothing"),
                arguments("not YAML", "kinds: [\n", "rules.yml:2: not valid YAML"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void invalidFiles(String what, String yaml, String expected) {
        RulesException e = assertThrows(RulesException.class, () -> Rules.parse(yaml, "rules.yml"));
        assertTrue(e.getMessage().contains(expected), "expected «" + expected + "» in:\n" + e.getMessage());
        assertTrue(e.getMessage().startsWith("invalid rules file rules.yml"), e.getMessage());
    }

    @Test
    void everyProblemIsReportedInFileOrder() {
        RulesException e = assertThrows(RulesException.class, () -> Rules.parse("""
                keyspace: { prefix: CC, version: 0 }
                kinds:
                  user: { key: "user:{uid}", parts: { id: bigint }, ttl: 0s }
                tables:
                  users: {}
                """, "r.yml"));
        List<RulesException.Problem> problems = e.problems();
        assertTrue(problems.size() >= 4, e.getMessage());
        for (int i = 1; i < problems.size(); i++) {
            assertTrue(problems.get(i - 1).line() <= problems.get(i).line(), e.getMessage());
        }
        assertEquals("r.yml", problems.getFirst().source());
    }

    @Test
    void anUnreadableFileIsNamed() {
        RulesException e = assertThrows(RulesException.class, () -> Rules.load(Path.of("/nonexistent/rules.yml")));
        assertTrue(e.getMessage().contains("/nonexistent/rules.yml: cannot read the rules file"), e.getMessage());
    }
}
