package dev.commitcast.devstack.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.devstack.DevStackException;
import dev.commitcast.devstack.DevStackOptions;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresBinariesTest {

    @Test
    void readsTheVersionFromDebianAndRhelLayouts() {
        assertEquals(15.0, PostgresBinaries.version(Path.of("/usr/lib/postgresql/15/bin")));
        assertEquals(16.0, PostgresBinaries.version(Path.of("/usr/pgsql-16/bin")));
        assertTrue(Double.isNaN(PostgresBinaries.version(Path.of("/usr/local/bin"))));
    }

    @Test
    void aMissingBindirOverrideFailsAtOnceNamingItAndTheInstallHint() {
        DevStackOptions options = DevStackOptions.builder()
                .environment(Map.of(DevStackOptions.ENV_PG_BINDIR, "/nonexistent/pg/bin"))
                .build();
        StackContext ctx = new StackContext(options, Path.of("/tmp"), null);
        DevStackException e = assertThrows(DevStackException.class, () -> PostgresBinaries.locate(ctx));
        assertTrue(e.getMessage().contains("COMMITCAST_PG_BINDIR=/nonexistent/pg/bin"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install postgresql"), e.getMessage());
    }
}
