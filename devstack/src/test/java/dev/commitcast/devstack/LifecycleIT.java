package dev.commitcast.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** close() stops every process it started and frees every port. */
class LifecycleIT {

    @Test
    void closeLeavesNoProcessAndNoBoundPort() {
        DevStack stack = DevStack.start(DevStackOptions.defaults());
        Path workDir = stack.workDir();
        Map<String, Long> recorded = TestProcesses.recordedPids(workDir);
        assertTrue(Set.of("postgres", "postgres-launcher", "redis", "kafka").containsAll(recorded.keySet()),
                recorded.toString());
        assertTrue(recorded.keySet().containsAll(Set.of("postgres", "redis", "kafka")), recorded.toString());
        recorded.values().forEach(pid -> assertTrue(TestProcesses.alive(pid), "pid " + pid + " alive before close"));
        assertEquals(recorded, DevStack.leftoverProcesses(workDir));
        List<ProcessHandle> started = TestProcesses.startedIn(workDir);
        assertTrue(started.size() >= recorded.size(), started.toString());
        List<Integer> ports = List.of(stack.postgres().port(), stack.redis().port(),
                URI.create("kafka://" + stack.kafka().bootstrapServers()).getPort());

        stack.close();

        recorded.forEach((name, pid) -> assertFalse(TestProcesses.alive(pid), name + " (pid " + pid + ") still alive"));
        started.forEach(p -> assertFalse(p.isAlive(), "still alive: " + p.pid() + " " + p.info().commandLine().orElse("")));
        assertEquals(List.of(), TestProcesses.startedIn(workDir));
        ports.forEach(port -> assertTrue(dev.commitcast.devstack.internal.Ports.bindable(port), "port " + port + " still bound"));
        assertFalse(Files.exists(workDir), "temporary work dir deleted: " + workDir);

        stack.close();  // idempotent
        assertThrows(IllegalStateException.class, () -> stack.kafka().createTopic("after-close"));
    }

    @Test
    void serversNotSelectedAreNotStartedAndAccessorsSaySo() {
        try (DevStack stack = DevStack.start(DevStackOptions.builder().servers(ServerKind.REDIS).build())) {
            assertEquals(Set.of("redis"), TestProcesses.recordedPids(stack.workDir()).keySet());
            IllegalStateException e = assertThrows(IllegalStateException.class, stack::postgres);
            assertTrue(e.getMessage().contains("ServerKind.POSTGRES"), e.getMessage());
            assertThrows(IllegalStateException.class, stack::kafka);
        }
    }
}
