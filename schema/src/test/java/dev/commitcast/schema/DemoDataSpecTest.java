package dev.commitcast.schema;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoDataSpecTest {
    @Test
    void defaultsAreTheDocumentedSizes() {
        DemoDataSpec spec = DemoDataSpec.defaults();
        assertEquals(100_000, spec.totalUsers());
        assertEquals(2_000, spec.totalRoles());
        assertEquals(100_000, spec.totalRolePermissions());
    }

    @Test
    void idsAreDenseAndPerOrg() {
        DemoDataSpec spec = new DemoDataSpec(3, 10, 4, 5, 1);
        assertEquals(1, spec.userId(1, 0));
        assertEquals(10, spec.userId(1, 9));
        assertEquals(11, spec.userId(2, 0));
        assertEquals(9, spec.roleId(3, 0));
    }

    @Test
    void rejectsBadSizesNamingTheValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DemoDataSpec(0, 10, 4, 5, 1));
        assertTrue(e.getMessage().contains("orgs must be > 0 but was 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DemoDataSpec(1, 10, 4, 101, 1));
        assertTrue(e.getMessage().contains("permissionsPerRole") && e.getMessage().contains("101"), e.getMessage());
    }
}
