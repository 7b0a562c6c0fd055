package dev.commitcast.devstack;

import java.nio.file.Path;

/** Test helper run in a separate JVM: starts a stack in the given work dir, says READY, then waits to be killed. */
public final class StackHolderMain {
    private StackHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        DevStack stack = DevStack.start(DevStackOptions.builder().workDir(Path.of(args[0])).build());
        System.out.println("READY " + stack.pidFile());
        System.out.flush();
        // Block until stdin closes or the test kills this JVM with SIGKILL (no shutdown hook runs then).
        while (System.in.read() >= 0) {
            // keep reading
        }
    }
}
