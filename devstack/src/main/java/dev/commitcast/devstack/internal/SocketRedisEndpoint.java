package dev.commitcast.devstack.internal;

import dev.commitcast.devstack.RedisEndpoint;
import dev.commitcast.devstack.ServerControl;
import java.io.IOException;
import java.util.List;

/** {@link RedisEndpoint} whose stop/start delegate to the server's {@link ServerControl}. */
public final class SocketRedisEndpoint implements RedisEndpoint {
    private static final int PING_TIMEOUT_MILLIS = 1000;

    private final String host;
    private final int port;
    private final ServerControl control;

    public SocketRedisEndpoint(String host, int port, ServerControl control) {
        this.host = host;
        this.port = port;
        this.control = control;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String uri() {
        return "redis://" + host + ":" + port;
    }

    @Override
    public boolean controllable() {
        return control.controllable();
    }

    @Override
    public void stop() {
        control.stop();
    }

    @Override
    public void start() {
        control.start();
    }

    @Override
    public boolean ping() {
        return ping(host, port, PING_TIMEOUT_MILLIS);
    }

    static boolean ping(String host, int port, int timeoutMillis) {
        try {
            return "+PONG".equals(Resp.call(host, port, timeoutMillis, List.of("PING")));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return uri();
    }
}
