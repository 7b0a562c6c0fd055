package dev.commitcast.testsupport;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.Namespace;
import dev.commitcast.core.Rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Keys and namespaces of the demo's rules ({@code examples/orgs-demo/rules.yml}), by name, for tests. Keys built here
 * equal those of the same rules in any key space ({@link Rules#withKeySpacePrefix} shares the kinds).
 */
public final class DemoKeys {

    private static final Rules RULES = Repo.demoRules();

    private DemoKeys() {
    }

    public static CacheKey settings(long org) {
        return RULES.kind("settings").key(org);
    }

    public static CacheKey roles(long org) {
        return RULES.kind("roles").key(org);
    }

    public static CacheKey rolePermissions(long org, long role) {
        return RULES.kind("role_permissions").key(org, role);
    }

    public static CacheKey user(long org, long id) {
        return RULES.kind("user").key(org, id);
    }

    public static CacheKey userList(long org) {
        return RULES.kind("user_list").key(org);
    }

    /** Every key of one organisation: {@code tag=<org>}. */
    public static Namespace org(long org) {
        return RULES.parseNamespace("tag=" + org);
    }

    /** Every key of the named kinds. */
    public static Namespace kinds(String... kinds) {
        List<dev.commitcast.core.KeyKind> selected = new ArrayList<>();
        for (String kind : kinds) {
            selected.add(RULES.kind(kind));
        }
        return RULES.namespace(selected, null);
    }

    /** Every key. */
    public static Namespace everything() {
        return RULES.everything();
    }
}
