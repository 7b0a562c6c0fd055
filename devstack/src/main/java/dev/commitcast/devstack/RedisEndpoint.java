package dev.commitcast.devstack;

/**
 * How to reach the dev stack's Redis, and (when this stack started it) how to take it down and bring it back on the
 * same port, to simulate an outage. Thread-safe.
 */
public interface RedisEndpoint {

    String host();

    int port();

    /** {@code redis://host:port}. */
    String uri();

    /** True when {@link #stop()} and {@link #start()} work: this stack runs Redis as a local process. */
    boolean controllable();

    /**
     * Stops Redis (an outage as clients see it); returns once the process has exited and the port is closed.
     *
     * @throws IllegalStateException if the endpoint is not {@linkplain #controllable() controllable}
     */
    void stop();

    /**
     * Starts Redis again on the same port, empty (it keeps no data); returns once it answers PING.
     *
     * @throws IllegalStateException if the endpoint is not {@linkplain #controllable() controllable}
     */
    void start();

    /** True if Redis answered PING within one second; never throws. */
    boolean ping();
}
