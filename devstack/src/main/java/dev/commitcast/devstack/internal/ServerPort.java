package dev.commitcast.devstack.internal;

/**
 * A local server's listening port: the configured one, or a free one, which {@link #reassign} replaces by another
 * free one when the server finds it taken (another process bound it between the pick and the server's start).
 * Thread-safe.
 */
final class ServerPort {
    private final boolean configured;
    private volatile int number;

    /** @param configured the port from the options; 0 picks a free one */
    ServerPort(int configured) {
        this.configured = configured != 0;
        this.number = Ports.choose(configured);
    }

    int number() {
        return number;
    }

    /** Picks another free port, unless the port was configured; returns whether it did. */
    boolean reassign() {
        if (configured) {
            return false;
        }
        number = Ports.free();
        return true;
    }
}
