package dev.commitcast.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The fingerprint follows what the rules mean for invalidation, not how the file is written. */
class FingerprintTest {

    private static final String RULES = """
            keyspace: { prefix: cc, version: 1 }
            kinds:
              user: { key: "org:{org}:user:{id}", parts: { org: bigint, id: bigint }, hash-tag: org, ttl: 1m }
              settings: { key: "org:{org}:settings", parts: { org: bigint }, hash-tag: org, ttl: 1m }
            tables:
              public.users:
                invalidate: [ { kind: user, bind: { org: org_id, id: id } } ]
              public.orgs:
                invalidate: [ { kind: settings, bind: { org: id } } ]
            """;

    private static String fingerprint(String yaml) {
        return Rules.parse(yaml, "r.yml").fingerprint();
    }

    @Test
    void formattingCommentsOrderAndTtlsDoNotChangeIt() {
        String base = fingerprint(RULES);
        assertEquals(16, base.length());
        assertEquals(base, fingerprint("# a comment\n" + RULES.replace("ttl: 1m", "ttl: 2h")));
        assertEquals(base, fingerprint("""
                keyspace:
                  version: 1
                  prefix: cc
                kinds:
                  settings: { key: "org:{org}:settings", parts: { org: bigint }, hash-tag: org, ttl: 1m }
                  user: { key: "org:{org}:user:{id}", parts: { org: bigint, id: bigint }, hash-tag: org, ttl: 1m }
                tables:
                  public.orgs:
                    invalidate: [ { kind: settings, bind: { org: id } } ]
                  public.users:
                    invalidate: [ { kind: user, bind: { id: id, org: org_id } } ]
                """));
        assertEquals(base, Rules.parse(RULES, "r.yml").withKeySpacePrefix("it-1").fingerprint());
    }

    @Test
    void whatChangesInvalidationChangesIt() {
        String base = fingerprint(RULES);
        assertNotEquals(base, fingerprint(RULES.replace("version: 1", "version: 2")));
        assertNotEquals(base, fingerprint(RULES.replace("org:{org}:user:{id}", "org:{org}:member:{id}")));
        assertNotEquals(base, fingerprint(RULES.replace("bind: { org: id }", "bind: { org: org_id }")));
        assertNotEquals(base, fingerprint(RULES.replace("hash-tag: org, ttl: 1m }\n  settings",
                "ttl: 1m }\n  settings")));
        assertNotEquals(base, fingerprint(RULES + "    ignore-columns: [updated_at]\n"));
    }
}
