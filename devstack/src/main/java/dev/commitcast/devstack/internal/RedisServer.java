package dev.commitcast.devstack.internal;

import dev.commitcast.devstack.DevStackException;
import dev.commitcast.devstack.RedisEndpoint;
import dev.commitcast.devstack.ServerKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code redis-server} as a child process under {@code <workDir>/redis}, without persistence (a restart comes back
 * empty). Ready = PING answers PONG. Keeps its port across {@link #stop()}/{@link #start()} for outage tests.
 */
public final class RedisServer extends LocalServer implements ProvidedServer<RedisEndpoint> {
    private static final Duration RETRY = Duration.ofMillis(20);
    private static final int PING_TIMEOUT_MILLIS = 500;

    private final Path binary;
    private final Path dir;
    private final Path logFile;
    private final ServerPort port;

    public RedisServer(StackContext ctx, Path binary) {
        super(ServerKind.REDIS, ctx);
        this.binary = binary;
        this.dir = ctx.workDir().resolve("redis");
        this.logFile = dir.resolve("redis.log");
        this.port = new ServerPort(ctx.options().redisPort());
    }

    @Override
    public RedisEndpoint endpoint() {
        return new SocketRedisEndpoint(Ports.LOOPBACK, port.number(), this);
    }

    @Override
    protected Path log() {
        return logFile;
    }

    @Override
    protected boolean reassignPort() {
        return port.reassign();
    }

    @Override
    protected ChildProcess launch(Deadline deadline) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DevStackException("Could not create " + dir + ": " + e, e);
        }
        List<String> command = List.of(binary.toString(), "--port", Integer.toString(port.number()),
                "--bind", Ports.LOOPBACK, "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString(),
                "--logfile", logFile.toString());
        return ChildProcess.start("redis-server", command, logFile, Map.of());
    }

    @Override
    protected void awaitReady(ChildProcess child, Deadline deadline) {
        while (!deadline.expired()) {
            requireAlive(child);
            if (SocketRedisEndpoint.ping(Ports.LOOPBACK, port.number(), PING_TIMEOUT_MILLIS)) {
                return;
            }
            deadline.pause(RETRY, "Redis on port " + port.number());
        }
        throw new DevStackException("no PONG from 127.0.0.1:" + port.number() + " within " + deadline.budget());
    }

    @Override
    protected void shutdown(ChildProcess child, Deadline deadline) {
        // SIGTERM: Redis closes its listener and exits; with no persistence there is nothing to save.
        child.terminate(deadline.remaining());
    }

    @Override
    public void close() {
        stop();
    }
}
