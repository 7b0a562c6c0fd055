package dev.commitcast.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.devstack.internal.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that cannot start fails the stack with its log's last lines and the log path, and leaves nothing running. */
class StartFailureIT {

    @Test
    void redisOnATakenFixedPortReportsItsLog(@TempDir Path workDir) throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName(Ports.LOOPBACK), 0));
            DevStackException e = assertThrows(DevStackException.class, () -> DevStack.start(DevStackOptions.builder()
                    .workDir(workDir).servers(ServerKind.REDIS).redisPort(taken.getLocalPort()).build()));
            Path log = workDir.resolve("redis").resolve("redis.log");
            assertTrue(e.getMessage().startsWith("Redis did not start: "), e.getMessage());
            assertTrue(e.getMessage().contains("Log: " + log + " (last 30 lines):"), e.getMessage());
            assertTrue(e.getMessage().contains("Address already in use"), e.getMessage());
            assertEquals(Map.of(), TestProcesses.recordedPids(workDir));
            assertEquals(List.of(), TestProcesses.startedIn(workDir));
        }
    }
}
