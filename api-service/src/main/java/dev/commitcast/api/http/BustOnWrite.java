package dev.commitcast.api.http;

import dev.commitcast.api.config.CommitcastConfig;
import dev.commitcast.api.data.RoleRow;
import dev.commitcast.api.data.SettingsRow;
import dev.commitcast.api.data.UserRow;
import dev.commitcast.client.CommitcastClient;
import dev.commitcast.core.Invalidation;
import dev.commitcast.core.MalformedChangeException;
import dev.commitcast.core.Namespace;
import dev.commitcast.core.Operation;
import dev.commitcast.core.RowChange;
import dev.commitcast.core.Rules;
import dev.commitcast.core.SourcePosition;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code commitcast.cache.bust-on-write}: the hand-written "delete after commit" that Commitcast replaces, kept as a
 * baseline ({@code benchmarks/baselines/}, ADR-0014). Off by default: then {@link #after} returns the write's stage
 * as it is and writes touch Postgres only.
 *
 * <p>On, once a write endpoint's transaction has committed, it evaluates the rules for the one row the endpoint
 * changed — as the invalidator would for that row's change event, so the keys come from the one definition in the
 * rules file — and invalidates those keys through {@link CommitcastClient#invalidate}: in Redis (value and fill lease)
 * and in this instance's L1. Then the endpoint answers. What it does not do is what makes the approach stale: no other
 * instance's L1 is told, writes made with SQL (another service, a migration) are never seen, and rows a write changes
 * indirectly (the users of a deleted role) are not busted. A failed invalidation is logged; the write still answers
 * its success, since it committed. Thread-safe.
 */
@Singleton
final class BustOnWrite {

    private static final Logger LOG = LoggerFactory.getLogger(BustOnWrite.class);
    /** The change is built by this service, not read from the WAL: no position. */
    private static final SourcePosition NO_POSITION = new SourcePosition(0, Instant.EPOCH, 0);

    private final boolean enabled;
    private final Rules rules;
    private final CommitcastClient client;

    BustOnWrite(CommitcastConfig config, Rules rules, CommitcastClient client) {
        this.enabled = config.cache().enabled() && config.cache().bustOnWrite();
        this.rules = rules;
        this.client = client;
    }

    /** Whether writes bust the keys of the row they changed. */
    boolean enabled() {
        return enabled;
    }

    /**
     * Returns a stage that completes with the write's result after the keys of the row it changed were invalidated
     * (when enabled; else {@code write} itself). {@code changed} maps the result to that row's change.
     */
    <T> CompletionStage<T> after(CompletionStage<T> write, Function<? super T, RowChange> changed) {
        if (!enabled) {
            return write;
        }
        return write.thenCompose(result -> {
            RowChange change;
            try {
                change = changed.apply(result);
            } catch (RuntimeException e) {
                LOG.warn("Bust on write: the write committed, but its keys could not be named: {}", e.toString());
                return CompletableFuture.completedFuture(result);
            }
            return invalidate(change).handle((deleted, error) -> {
                if (error != null) {
                    LOG.warn("Bust on write: the write to {} committed, but invalidating its keys failed: {}",
                            change.qualifiedTable(), error.toString());
                }
                return result;
            });
        });
    }

    /**
     * Returns what the rules invalidate for the change: the keys of its row; for an image without a column the rules
     * bind (a rules file other than the demo's), the table's safe over-invalidation.
     */
    Invalidation keysOf(RowChange change) {
        try {
            return rules.evaluate(change);
        } catch (MalformedChangeException e) {
            return rules.fallbackFor(change.qualifiedTable());
        }
    }

    private CompletionStage<Long> invalidate(RowChange change) {
        Invalidation invalidation = keysOf(change);
        List<CompletableFuture<Long>> deletes = new ArrayList<>();
        if (!invalidation.keys().isEmpty()) {
            deletes.add(client.invalidate(invalidation.keys()).toCompletableFuture());
        }
        for (Namespace namespace : invalidation.namespaces()) {
            deletes.add(client.invalidate(namespace).toCompletableFuture());
        }
        return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new))
                .thenApply(done -> deletes.stream().mapToLong(CompletableFuture::join).sum());
    }

    /** A user row inserted or updated: its image after the write. */
    static RowChange user(Operation op, UserRow row) {
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("id", row.id());
        image.put("org_id", row.orgId());
        image.put("email", row.email());
        image.put("display_name", row.displayName());
        image.put("role_id", row.roleId());
        image.put("status", row.status());
        return change("users", op, image);
    }

    /** A user row deleted: the key columns the endpoint knows. */
    static RowChange userDeleted(long orgId, long userId) {
        return change("users", Operation.DELETE, Map.of("id", userId, "org_id", orgId));
    }

    /** A role row inserted or updated: its image after the write. */
    static RowChange role(Operation op, RoleRow row) {
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("id", row.id());
        image.put("org_id", row.orgId());
        image.put("name", row.name());
        image.put("description", row.description());
        image.put("is_system", row.system());
        return change("roles", op, image);
    }

    /** A role row deleted: the key columns the endpoint knows (its cascades are not seen). */
    static RowChange roleDeleted(long orgId, long roleId) {
        return change("roles", Operation.DELETE, Map.of("id", roleId, "org_id", orgId));
    }

    /** A permission granted ({@link Operation#CREATE}) or revoked ({@link Operation#DELETE}). */
    static RowChange permission(Operation op, long orgId, long roleId, String permission) {
        return change("role_permissions", op, Map.of("org_id", orgId, "role_id", roleId, "permission", permission));
    }

    /** An organisation's settings written (an upsert: reported as an update). */
    static RowChange settings(SettingsRow row) {
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("org_id", row.orgId());
        image.put("timezone", row.timezone());
        image.put("locale", row.locale());
        image.put("sso_enabled", row.ssoEnabled());
        image.put("mfa_required", row.mfaRequired());
        image.put("session_ttl_minutes", row.sessionTtlMinutes());
        image.put("data_retention_days", row.dataRetentionDays());
        return change("org_settings", Operation.UPDATE, image);
    }

    private static RowChange change(String table, Operation op, Map<String, Object> image) {
        boolean delete = op == Operation.DELETE;
        return new RowChange("public", table, op, delete ? image : null, delete ? null : image, NO_POSITION);
    }
}
