package dev.commitcast.devstack;

import java.nio.file.Path;

/**
 * Test helper run in a separate JVM: starts Redis in the given work dir and leaves its stop to its own shutdown hook,
 * which first works with Redis for a while (as a supervisor stops its services) and then closes the stack. Prints
 * READY, then on SIGTERM what Redis answered during the hook.
 */
public final class OwnerStopsStackMain {
    private OwnerStopsStackMain() {
    }

    public static void main(String[] args) throws Exception {
        DevStack stack = DevStack.start(DevStackOptions.builder().workDir(Path.of(args[0]))
                .servers(ServerKind.REDIS).build()).closeOnlyExplicitly();
        RedisEndpoint redis = stack.redis();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Thread.sleep(1_000); // the services' shutdown, still using the servers
                try (RedisWire wire = new RedisWire(redis)) {
                    System.out.println("DURING THE OWNER'S HOOK: " + wire.call("PING"));
                }
            } catch (Exception e) {
                System.out.println("DURING THE OWNER'S HOOK: " + e);
            }
            stack.close();
            System.out.println("CLOSED");
            System.out.flush();
        }, "owner-shutdown"));
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
