package dev.commitcast.api.http;

import dev.commitcast.api.config.CommitcastConfig;
import dev.commitcast.api.data.RoleRow;
import dev.commitcast.api.data.SettingsRow;
import dev.commitcast.api.data.UserRow;
import dev.commitcast.core.Invalidation;
import dev.commitcast.core.Operation;
import dev.commitcast.core.Rules;
import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.testsupport.Repo;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which keys the bust-on-write baseline deletes for each write endpoint's row (the demo's rules). */
class BustOnWriteTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private final BustOnWrite bust = new BustOnWrite(enabled(true), Repo.demoRules(), null);

    @Test
    void offByDefaultTheWriteIsReturnedUntouched() {
        BustOnWrite off = new BustOnWrite(CommitcastConfig.defaults(), Repo.demoRules(), null);
        assertFalse(off.enabled());
        CompletableFuture<String> write = new CompletableFuture<>();
        assertSame(write, off.after(write, result -> {
            throw new AssertionError("no keys are named when off");
        }));
        assertTrue(bust.enabled());
        assertFalse(new BustOnWrite(new CommitcastConfig(null, null, new CommitcastConfig.CacheConfig(false, null, null,
                null, null, true), null, null, null, null), Repo.demoRules(), null).enabled(),
                "with the caches switched off there is nothing to bust");
    }

    @Test
    void aUserWriteBustsTheUserAndItsOrganisationsFirstPage() {
        UserRow user = new UserRow(170, 2, "a@b", "Ada", 6L, "active", T, T);
        Set<Object> expected = Set.of(DemoKeys.user(2, 170), DemoKeys.userList(2));
        assertEquals(expected, Set.copyOf(bust.keysOf(BustOnWrite.user(Operation.UPDATE, user)).keys()));
        assertEquals(expected, Set.copyOf(bust.keysOf(BustOnWrite.user(Operation.CREATE, user)).keys()),
                "a create busts the (negatively cached) key of the new id too");
        assertEquals(expected, Set.copyOf(bust.keysOf(BustOnWrite.userDeleted(2, 170)).keys()));
    }

    @Test
    void aRoleWriteBustsTheRoleListAndTheRolesPermissionsButNotItsUsers() {
        RoleRow role = new RoleRow(6, 2, "admin", "v1", false, T, T);
        Set<Object> expected = Set.of(DemoKeys.roles(2), DemoKeys.rolePermissions(2, 6));
        assertEquals(expected, Set.copyOf(bust.keysOf(BustOnWrite.role(Operation.UPDATE, role)).keys()));
        Invalidation deleted = bust.keysOf(BustOnWrite.roleDeleted(2, 6));
        assertEquals(expected, Set.copyOf(deleted.keys()), "the users whose role the cascade removed are missed");
        assertTrue(deleted.namespaces().isEmpty());
    }

    @Test
    void aPermissionOrSettingsWriteBustsItsOneKey() {
        assertEquals(Set.of(DemoKeys.rolePermissions(2, 6)),
                bust.keysOf(BustOnWrite.permission(Operation.CREATE, 2, 6, "billing.read")).keys());
        assertEquals(Set.of(DemoKeys.rolePermissions(2, 6)),
                bust.keysOf(BustOnWrite.permission(Operation.DELETE, 2, 6, "billing.read")).keys());
        SettingsRow settings = new SettingsRow(2, "UTC", "en-US", false, true, 60, 30, T);
        assertEquals(Set.of(DemoKeys.settings(2)), bust.keysOf(BustOnWrite.settings(settings)).keys());
    }

    @Test
    void aRulesFileBindingAColumnTheEndpointDoesNotKnowFallsBackToTheTablesOverInvalidation() {
        Rules rules = Rules.parse("""
                keyspace: { prefix: cc, version: 1 }
                kinds:
                  by_email: { key: "user:{email}", parts: { email: text }, ttl: 60s }
                tables:
                  public.users: { invalidate: [ { kind: by_email, bind: { email: email } } ] }
                """, "inline");
        Invalidation deleted = new BustOnWrite(enabled(true), rules, null).keysOf(BustOnWrite.userDeleted(2, 170));
        assertEquals(rules.fallbackFor("public.users"), deleted, "a delete knows only the key columns");
        assertFalse(deleted.isEmpty());
    }

    private static CommitcastConfig enabled(boolean bustOnWrite) {
        return new CommitcastConfig(null, null, new CommitcastConfig.CacheConfig(null, null, null, null, null,
                bustOnWrite), null, null, null, null);
    }
}
