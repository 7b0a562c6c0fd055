package dev.commitcast.api.http;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.KeyKind;
import dev.commitcast.core.Rules;
import io.micronaut.context.annotation.Context;

import java.util.List;

/**
 * The demo application's view of the rules: the five kinds its endpoints read, looked up once at start-up (a rules
 * file without one of them, or with other parts, stops the service naming the kind), and typed key builders for the
 * controllers. Thread-safe.
 */
@Context
public final class DemoKinds {

    /** The kinds this application serves, with their parts as its endpoints bind them. */
    static final List<String> NAMES = List.of("settings", "roles", "role_permissions", "user", "user_list");

    final KeyKind settings;
    final KeyKind roles;
    final KeyKind rolePermissions;
    final KeyKind user;
    final KeyKind userList;

    DemoKinds(Rules rules) {
        settings = require(rules, "settings", 1);
        roles = require(rules, "roles", 1);
        rolePermissions = require(rules, "role_permissions", 2);
        user = require(rules, "user", 2);
        userList = require(rules, "user_list", 1);
    }

    /** Returns the key of an organisation's settings. */
    public CacheKey settings(long org) {
        return settings.key(org);
    }

    /** Returns the key of an organisation's roles. */
    public CacheKey roles(long org) {
        return roles.key(org);
    }

    /** Returns the key of a role's permissions. */
    public CacheKey rolePermissions(long org, long role) {
        return rolePermissions.key(org, role);
    }

    /** Returns the key of a user. */
    public CacheKey user(long org, long id) {
        return user.key(org, id);
    }

    /** Returns the key of an organisation's first user page. */
    public CacheKey userList(long org) {
        return userList.key(org);
    }

    private static KeyKind require(Rules rules, String name, int integerParts) {
        KeyKind kind = rules.findKind(name).orElseThrow(() -> new IllegalStateException("the demo API reads kind '"
                + name + "', which the rules file " + rules.source() + " does not declare; declared kinds are "
                + rules.kinds().stream().map(KeyKind::name).toList()));
        boolean integers = kind.parts().size() == integerParts && kind.parts().stream()
                .allMatch(p -> p.type() == dev.commitcast.core.PartType.BIGINT);
        if (!integers) {
            throw new IllegalStateException("the demo API binds kind '" + name + "' to " + integerParts
                    + " bigint path parameter(s); the rules file " + rules.source() + " declares parts "
                    + kind.parts());
        }
        return kind;
    }
}
