package dev.commitcast.schema;

import java.util.ArrayList;
import java.util.List;

/** The permission names the demo data draws from: {@code resource.action}, e.g. {@code billing.read}. */
final class PermissionCatalog {
    private static final String[] RESOURCES = {
        "users", "roles", "billing", "invoices", "projects", "repos", "issues", "deployments", "secrets", "audit",
        "reports", "dashboards", "alerts", "webhooks", "api_keys", "sso", "teams", "settings", "exports", "support"
    };
    private static final String[] ACTIONS = {"read", "create", "update", "delete", "admin"};
    private static final List<String> ALL = build();

    private PermissionCatalog() {
    }

    static int size() {
        return ALL.size();
    }

    static String get(int index) {
        return ALL.get(index);
    }

    private static List<String> build() {
        List<String> all = new ArrayList<>(RESOURCES.length * ACTIONS.length);
        for (String resource : RESOURCES) {
            for (String action : ACTIONS) {
                all.add(resource + "." + action);
            }
        }
        return List.copyOf(all);
    }
}
