package dev.commitcast.api.data;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;

/**
 * The write statements of the API. They touch Postgres only: caches learn of every committed change from the
 * change-data-capture pipeline. Blocking; called inside {@link ReadModelWriter}'s transactions.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface WriteRepository extends GenericRepository<UserRow, Long> {

    /** Inserts a user; the id and timestamps come from the database. */
    @Query("""
            insert into users (org_id, email, display_name, role_id, status)
            values (:orgId, :email, :displayName, :roleId, :status)""")
    void insertUser(long orgId, String email, String displayName, @Nullable Long roleId, String status);

    /** Returns a user by its unique email within the organisation, locking it for this transaction. */
    @Query("""
            select id, org_id, email, display_name, role_id, status, created_at, updated_at
            from users where org_id = :orgId and email = :email for update""")
    Optional<UserRow> findUserByEmail(long orgId, String email);

    /** Returns a user, locking it for this transaction. */
    @Query("""
            select id, org_id, email, display_name, role_id, status, created_at, updated_at
            from users where org_id = :orgId and id = :userId for update""")
    Optional<UserRow> lockUser(long orgId, long userId);

    /** Replaces a user's fields; returns the rows changed (0 = no such user). */
    @Query("""
            update users set email = :email, display_name = :displayName, role_id = :roleId, status = :status
            where org_id = :orgId and id = :userId""")
    long updateUser(long orgId, long userId, String email, String displayName, @Nullable Long roleId, String status);

    /** Deletes a user; returns the rows deleted. */
    @Query("delete from users where org_id = :orgId and id = :userId")
    long deleteUser(long orgId, long userId);

    /** Inserts a role. */
    @Query("insert into roles (org_id, name, description, is_system) values (:orgId, :name, :description, :system)")
    void insertRole(long orgId, String name, String description, boolean system);

    /** Returns a role by its unique name within the organisation. */
    @Query("""
            select id, org_id, name, description, is_system, created_at, updated_at
            from roles where org_id = :orgId and name = :name""")
    Optional<RoleRow> findRoleByName(long orgId, String name);

    /** Returns a role of the organisation. */
    @Query("""
            select id, org_id, name, description, is_system, created_at, updated_at
            from roles where org_id = :orgId and id = :roleId""")
    Optional<RoleRow> findRole(long orgId, long roleId);

    /** Replaces a role's fields; returns the rows changed. */
    @Query("""
            update roles set name = :name, description = :description, is_system = :system
            where org_id = :orgId and id = :roleId""")
    long updateRole(long orgId, long roleId, String name, String description, boolean system);

    /** Deletes a role (its permissions cascade, its users lose it); returns the rows deleted. */
    @Query("delete from roles where org_id = :orgId and id = :roleId")
    long deleteRole(long orgId, long roleId);

    /** Grants a permission; returns 1 if newly granted, 0 if it already was. */
    @Query("""
            insert into role_permissions (org_id, role_id, permission) values (:orgId, :roleId, :permission)
            on conflict (role_id, permission) do nothing""")
    long grantPermission(long orgId, long roleId, String permission);

    /** Revokes a permission; returns the rows deleted. */
    @Query("delete from role_permissions where org_id = :orgId and role_id = :roleId and permission = :permission")
    long revokePermission(long orgId, long roleId, String permission);

    /** Inserts or replaces an organisation's settings. */
    @Query("""
            insert into org_settings (org_id, timezone, locale, sso_enabled, mfa_required, session_ttl_minutes,
                                      data_retention_days)
            values (:orgId, :timezone, :locale, :ssoEnabled, :mfaRequired, :sessionTtlMinutes, :dataRetentionDays)
            on conflict (org_id) do update set timezone = excluded.timezone, locale = excluded.locale,
                sso_enabled = excluded.sso_enabled, mfa_required = excluded.mfa_required,
                session_ttl_minutes = excluded.session_ttl_minutes, data_retention_days = excluded.data_retention_days""")
    void upsertSettings(long orgId, String timezone, String locale, boolean ssoEnabled, boolean mfaRequired,
                        int sessionTtlMinutes, int dataRetentionDays);
}
