package dev.commitcast.api.data;

import dev.commitcast.api.perf.QueryTimers;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.util.function.Supplier;

/**
 * Every write of the API, each in one transaction, Postgres only: no cache is touched, because every committed
 * change reaches the caches through the change-data-capture pipeline (whoever wrote it). Field syntax is validated
 * by the HTTP layer; this class enforces what needs the database: existence (404), uniqueness (409) and that a
 * user's role belongs to the user's organisation (400 on {@code roleId}).
 *
 * <p>Blocking: call it on the {@code database} executor. Thread-safe.
 */
@Singleton
public class ReadModelWriter {

    private final WriteRepository writes;
    private final ReadRepository reads;
    private final QueryTimers timers;

    ReadModelWriter(WriteRepository writes, ReadRepository reads, QueryTimers timers) {
        this.writes = writes;
        this.reads = reads;
        this.timers = timers;
    }

    /** Creates a user and returns it. */
    @Transactional
    public UserRow createUser(long orgId, String email, String displayName, @Nullable Long roleId, String status) {
        return run("create_user", () -> {
            requireOrg(orgId);
            requireRole(orgId, roleId);
            writes.insertUser(orgId, email, displayName, roleId, status);
            return writes.findUserByEmail(orgId, email).orElseThrow();
        });
    }

    /** Replaces every field of a user and returns it. */
    @Transactional
    public UserRow replaceUser(long orgId, long userId, String email, String displayName, @Nullable Long roleId,
                               String status) {
        return run("replace_user", () -> {
            writes.lockUser(orgId, userId).orElseThrow(() -> userNotFound(orgId, userId));
            requireRole(orgId, roleId);
            writes.updateUser(orgId, userId, email, displayName, roleId, status);
            return writes.lockUser(orgId, userId).orElseThrow();
        });
    }

    /** Changes the given (non-null) fields of a user, removes its role if {@code clearRole}, and returns it. */
    @Transactional
    public UserRow patchUser(long orgId, long userId, @Nullable String email, @Nullable String displayName,
                             @Nullable Long roleId, boolean clearRole, @Nullable String status) {
        return run("patch_user", () -> {
            UserRow current = writes.lockUser(orgId, userId).orElseThrow(() -> userNotFound(orgId, userId));
            Long role = clearRole ? null : roleId != null ? roleId : current.roleId();
            requireRole(orgId, role);
            writes.updateUser(orgId, userId, email != null ? email : current.email(),
                    displayName != null ? displayName : current.displayName(), role,
                    status != null ? status : current.status());
            return writes.lockUser(orgId, userId).orElseThrow();
        });
    }

    /** Deletes a user. */
    @Transactional
    public void deleteUser(long orgId, long userId) {
        run("delete_user", () -> {
            if (writes.deleteUser(orgId, userId) == 0) {
                throw userNotFound(orgId, userId);
            }
            return null;
        });
    }

    /** Creates a role and returns it. */
    @Transactional
    public RoleRow createRole(long orgId, String name, String description, boolean system) {
        return run("create_role", () -> {
            requireOrg(orgId);
            writes.insertRole(orgId, name, description, system);
            return writes.findRoleByName(orgId, name).orElseThrow();
        });
    }

    /** Replaces every field of a role and returns it. */
    @Transactional
    public RoleRow replaceRole(long orgId, long roleId, String name, String description, boolean system) {
        return run("replace_role", () -> {
            if (writes.updateRole(orgId, roleId, name, description, system) == 0) {
                throw roleNotFound(orgId, roleId);
            }
            return writes.findRole(orgId, roleId).orElseThrow();
        });
    }

    /** Deletes a role; its permissions go with it and its users lose it. */
    @Transactional
    public void deleteRole(long orgId, long roleId) {
        run("delete_role", () -> {
            if (writes.deleteRole(orgId, roleId) == 0) {
                throw roleNotFound(orgId, roleId);
            }
            return null;
        });
    }

    /** Grants a permission to a role; returns whether it was newly granted. */
    @Transactional
    public boolean grantPermission(long orgId, long roleId, String permission) {
        return run("grant_permission", () -> {
            requireRoleOfPath(orgId, roleId);
            return writes.grantPermission(orgId, roleId, permission) == 1;
        });
    }

    /** Revokes a permission from a role. */
    @Transactional
    public void revokePermission(long orgId, long roleId, String permission) {
        run("revoke_permission", () -> {
            requireRoleOfPath(orgId, roleId);
            if (writes.revokePermission(orgId, roleId, permission) == 0) {
                throw new NotFoundException("role " + roleId + " of org " + orgId + " does not have permission '"
                        + permission + "'");
            }
            return null;
        });
    }

    /** Replaces an organisation's settings and returns them. */
    @Transactional
    public SettingsRow putSettings(long orgId, String timezone, String locale, boolean ssoEnabled,
                                   boolean mfaRequired, int sessionTtlMinutes, int dataRetentionDays) {
        return run("put_settings", () -> {
            requireOrg(orgId);
            writes.upsertSettings(orgId, timezone, locale, ssoEnabled, mfaRequired, sessionTtlMinutes,
                    dataRetentionDays);
            return reads.findSettings(orgId).orElseThrow();
        });
    }

    private <T> T run(String op, Supplier<T> work) {
        try {
            return timers.time(op, work);
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SqlErrors.translate(e);
        }
    }

    private void requireOrg(long orgId) {
        if (!reads.orgExists(orgId)) {
            throw new NotFoundException("org " + orgId + " not found");
        }
    }

    private void requireRole(long orgId, Long roleId) {
        if (roleId != null && !reads.roleExists(orgId, roleId)) {
            requireOrg(orgId);
            throw new InvalidFieldException("roleId", "role " + roleId + " does not exist in org " + orgId);
        }
    }

    private void requireRoleOfPath(long orgId, long roleId) {
        if (!reads.roleExists(orgId, roleId)) {
            throw roleNotFound(orgId, roleId);
        }
    }

    private static NotFoundException userNotFound(long orgId, long userId) {
        return new NotFoundException("user " + userId + " not found in org " + orgId);
    }

    private static NotFoundException roleNotFound(long orgId, long roleId) {
        return new NotFoundException("role " + roleId + " not found in org " + orgId);
    }
}
