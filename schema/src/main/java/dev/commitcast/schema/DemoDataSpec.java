package dev.commitcast.schema;

/**
 * Sizes and seed of a demo/benchmark data set. The same spec always produces the same rows.
 *
 * @param orgs               number of organisations (ids 1..orgs)
 * @param usersPerOrg        users per organisation
 * @param rolesPerOrg        roles per organisation
 * @param permissionsPerRole permissions granted to each role, at most {@link PermissionCatalog#size()}
 * @param seed               seed of the pseudo-random choices (names, role assignment, statuses)
 */
public record DemoDataSpec(int orgs, int usersPerOrg, int rolesPerOrg, int permissionsPerRole, long seed) {
    public static final int DEFAULT_ORGS = 100;
    public static final int DEFAULT_USERS_PER_ORG = 1_000;
    public static final int DEFAULT_ROLES_PER_ORG = 20;
    public static final int DEFAULT_PERMISSIONS_PER_ROLE = 50;
    public static final long DEFAULT_SEED = 20261123L;

    public DemoDataSpec {
        positive("orgs", orgs);
        if (usersPerOrg < 0) {
            throw new IllegalArgumentException("usersPerOrg must be >= 0 but was " + usersPerOrg);
        }
        positive("rolesPerOrg", rolesPerOrg);
        if (permissionsPerRole < 0 || permissionsPerRole > PermissionCatalog.size()) {
            throw new IllegalArgumentException("permissionsPerRole must be within 0.." + PermissionCatalog.size()
                    + " (the size of the permission catalog) but was " + permissionsPerRole);
        }
        long users = (long) orgs * usersPerOrg;
        if (users > 50_000_000L) {
            throw new IllegalArgumentException("orgs x usersPerOrg = " + users + " exceeds the 50,000,000 row limit");
        }
    }

    /** 100 orgs x 1,000 users, 20 roles per org, 50 permissions per role. */
    public static DemoDataSpec defaults() {
        return new DemoDataSpec(DEFAULT_ORGS, DEFAULT_USERS_PER_ORG, DEFAULT_ROLES_PER_ORG,
                DEFAULT_PERMISSIONS_PER_ROLE, DEFAULT_SEED);
    }

    public long totalUsers() {
        return (long) orgs * usersPerOrg;
    }

    public long totalRoles() {
        return (long) orgs * rolesPerOrg;
    }

    public long totalRolePermissions() {
        return totalRoles() * permissionsPerRole;
    }

    /** Id of the {@code index}-th (0-based) role of an org: ids are dense and deterministic. */
    public long roleId(long orgId, int index) {
        return (orgId - 1) * rolesPerOrg + index + 1;
    }

    /** Id of the {@code index}-th (0-based) user of an org. */
    public long userId(long orgId, int index) {
        return (orgId - 1) * usersPerOrg + index + 1;
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0 but was " + value);
        }
    }
}
