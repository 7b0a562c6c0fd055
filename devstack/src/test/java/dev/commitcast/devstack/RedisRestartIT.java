package dev.commitcast.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.devstack.internal.Ports;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Tests simulate a Redis outage: stop() then start() on the same port. */
class RedisRestartIT {

    @Test
    void stopThenStartComesBackOnTheSamePort() throws IOException {
        try (DevStack stack = DevStack.start(DevStackOptions.builder().servers(ServerKind.REDIS).build())) {
            RedisEndpoint redis = stack.redis();
            assertTrue(redis.controllable());
            int port = redis.port();
            long firstPid = TestProcesses.recordedPids(stack.workDir()).get("redis");
            try (RedisWire wire = new RedisWire(redis)) {
                assertEquals("+OK", wire.call("SET", "k", "before"));
            }

            redis.stop();
            assertFalse(redis.ping(), "Redis answers after stop()");
            assertFalse(stack.server(ServerKind.REDIS).isRunning());
            assertTrue(Ports.bindable(port), "port " + port + " is free during the outage");
            assertFalse(TestProcesses.alive(firstPid));
            redis.stop();  // idempotent

            redis.start();
            assertEquals(port, stack.redis().port());
            assertTrue(redis.ping());
            long secondPid = TestProcesses.recordedPids(stack.workDir()).get("redis");
            assertNotEquals(firstPid, secondPid);
            try (RedisWire wire = new RedisWire(redis)) {
                // No persistence: the outage lost the data, as a cache restart would.
                assertNull(wire.call("GET", "k"));
                assertEquals("+OK", wire.call("SET", "k", "after"));
                assertEquals("after", wire.call("GET", "k"));
            }
        }
    }
}
