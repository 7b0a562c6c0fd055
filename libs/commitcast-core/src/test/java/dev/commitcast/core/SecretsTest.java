package dev.commitcast.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {
    @TempDir
    Path dir;

    @Test
    void aSecretFileBecomesTheServicesPropertyWithoutItsTrailingNewline() throws Exception {
        Path file = Files.writeString(dir.resolve("pg"), "s3cr:t@\n");
        Map<String, Object> properties = Secrets.fromFiles(Map.of("COMMITCAST_PG_PASSWORD_FILE", file.toString()),
                Map.of("COMMITCAST_PG_PASSWORD_FILE", "datasources.default.password",
                        "COMMITCAST_REDIS_PASSWORD_FILE", "commitcast.redis.password"));
        assertEquals(Map.<String, Object>of("datasources.default.password", "s3cr:t@"), properties);
    }

    @Test
    void bothTheVariableAndItsFileIsAnErrorNamingBoth() throws Exception {
        Path file = Files.writeString(dir.resolve("pg"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Secrets.fromFiles(
                Map.of("COMMITCAST_PG_PASSWORD_FILE", file.toString(), "COMMITCAST_PG_PASSWORD", "y"),
                Map.of("COMMITCAST_PG_PASSWORD_FILE", "p")));
        assertTrue(e.getMessage().startsWith("COMMITCAST_PG_PASSWORD and COMMITCAST_PG_PASSWORD_FILE are both set"),
                e.getMessage());
    }

    @Test
    void anUnreadableOrEmptyFileIsAnErrorNamingTheVariableAndTheFileButNotItsContent() throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Secrets.read("COMMITCAST_REDIS_PASSWORD_FILE", dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("COMMITCAST_REDIS_PASSWORD_FILE = " + dir.resolve("nope")),
                missing.getMessage());
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Secrets.read("K", empty)).getMessage()
                .contains("is empty"));
    }

    @Test
    void redactMasksPasswordsInUrlsAndParameters() {
        assertEquals("rediss://api:***@redis:6380/0", Secrets.redact("rediss://api:pa:ss@redis:6380/0"));
        assertEquals("redis://:***@h:1", Secrets.redact("redis://:pw@h:1"));
        assertEquals("redis://h:1", Secrets.redact("redis://h:1"));
        assertEquals("jdbc:postgresql://h/db?user=u&password=***&ssl=true",
                Secrets.redact("jdbc:postgresql://h/db?user=u&password=hunter2&ssl=true"));
        String text = "cannot connect to postgresql://cdc:hunter2@db:5432/app and redis://u:hunter3@r:6379";
        assertFalse(Secrets.redact(text).contains("hunter"), Secrets.redact(text));
    }
}
