package dev.commitcast.api.data;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.Optional;

/**
 * The read paths of the API, one explicit query each, every one served by an index (see {@code V1__read_model.sql}).
 * Blocking: call it on the database executor.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ReadRepository extends GenericRepository<UserRow, Long> {

    /**
     * Returns the WAL insert position in Postgres' text form: run after a write committed, an LSN at or after its
     * commit record (the read-your-writes token).
     */
    @Query("select pg_current_wal_insert_lsn()::text")
    String walInsertLsn();

    /** Returns whether the organisation exists. */
    @Query("select exists (select 1 from orgs where id = :orgId)")
    boolean orgExists(long orgId);

    /** Returns the ids of the first organisations, ascending. */
    @Query("select id from orgs order by id limit :limit")
    List<Long> firstOrgIds(int limit);

    /** Returns an organisation's settings. */
    @Query("""
            select org_id, timezone, locale, sso_enabled, mfa_required, session_ttl_minutes, data_retention_days,
                   updated_at
            from org_settings where org_id = :orgId""")
    Optional<SettingsRow> findSettings(long orgId);

    /** Returns an organisation's roles by id. */
    @Query("""
            select id, org_id, name, description, is_system, created_at, updated_at
            from roles where org_id = :orgId order by id""")
    List<RoleRow> findRoles(long orgId);

    /** Returns whether the role exists within the organisation. */
    @Query("select exists (select 1 from roles where org_id = :orgId and id = :roleId)")
    boolean roleExists(long orgId, long roleId);

    /** Returns a role's permissions, sorted. */
    @Query("select permission from role_permissions where org_id = :orgId and role_id = :roleId order by permission")
    List<String> findPermissions(long orgId, long roleId);

    /** Returns one user of the organisation. */
    @Query("""
            select id, org_id, email, display_name, role_id, status, created_at, updated_at
            from users where org_id = :orgId and id = :userId""")
    Optional<UserRow> findUser(long orgId, long userId);

    /** Returns up to {@code limit} users of the organisation with ids above {@code afterId}, by id (keyset). */
    @Query("""
            select id, org_id, email, display_name, role_id, status, created_at, updated_at
            from users where org_id = :orgId and id > :afterId order by id limit :limit""")
    List<UserRow> findUsersAfter(long orgId, long afterId, int limit);
}
