package dev.commitcast.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DevStackOptionsTest {

    @Test
    void defaultsStartEverythingOnFreePortsInATemporaryDirectory() {
        DevStackOptions options = DevStackOptions.defaults();
        assertEquals(EnumSet.allOf(ServerKind.class), options.servers());
        assertTrue(options.workDir().isEmpty());
        assertEquals(0, options.postgresPort());
        assertEquals(0, options.redisPort());
        assertEquals(0, options.kafkaPort());
        assertEquals(DevStackOptions.DEFAULT_KAFKA_PARTITIONS, options.kafkaPartitions());
        assertEquals(DevStackOptions.DEFAULT_START_TIMEOUT, options.startTimeout());
        assertEquals(System.getenv(), options.environment());
        assertTrue(options.containersAllowed());
    }

    @Test
    void builderRoundTripsThroughToBuilder() {
        DevStackOptions options = DevStackOptions.builder()
                .workDir(Path.of("/tmp/x"))
                .servers(ServerKind.REDIS)
                .redisPort(6390)
                .kafkaPartitions(7)
                .startTimeout(Duration.ofSeconds(5))
                .environment(Map.of("PATH", "/bin"))
                .containersAllowed(false)
                .build();
        assertEquals(options, options.toBuilder().build());
        assertEquals(Set.of(ServerKind.REDIS), options.servers());
        assertTrue(options.wants(ServerKind.REDIS));
    }

    @Test
    void rejectsBadValuesNamingTheKeyAndTheValue() {
        assertMessage("redisPort is 70000", () -> DevStackOptions.builder().redisPort(70_000).build());
        assertMessage("postgresPort is -1", () -> DevStackOptions.builder().postgresPort(-1).build());
        assertMessage("kafkaPartitions is 0", () -> DevStackOptions.builder().kafkaPartitions(0).build());
        assertMessage("startTimeout is PT0S", () -> DevStackOptions.builder().startTimeout(Duration.ZERO).build());
        assertMessage("servers is empty", () -> DevStackOptions.builder().servers(Set.of()).build());
        assertMessage("kafkaPort and kafkaControllerPort are both 9092",
                () -> DevStackOptions.builder().kafkaPort(9092).kafkaControllerPort(9092).build());
    }

    private static void assertMessage(String expected, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(expected), () -> "message was: " + e.getMessage());
    }
}
