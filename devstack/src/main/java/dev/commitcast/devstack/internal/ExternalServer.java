package dev.commitcast.devstack.internal;

import dev.commitcast.devstack.ServerControl;
import dev.commitcast.devstack.ServerKind;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/** A server this stack did not start (environment endpoint): it can be used, not controlled. */
public final class ExternalServer<E> implements ProvidedServer<E> {
    private final ServerKind kind;
    private final Source source;
    private final String description;
    private final E endpoint;
    private final Runnable onClose;
    private volatile boolean closed;

    public ExternalServer(ServerKind kind, Source source, String description, E endpoint, Runnable onClose) {
        this(kind, source, description, control -> endpoint, onClose);
    }

    /** For endpoints that refer back to their server's control (Redis). */
    public ExternalServer(ServerKind kind, Source source, String description,
            Function<ServerControl, E> endpointFactory, Runnable onClose) {
        this.kind = kind;
        this.source = source;
        this.description = description;
        this.onClose = onClose;
        this.endpoint = endpointFactory.apply(this);
    }

    @Override
    public E endpoint() {
        return endpoint;
    }

    @Override
    public ServerKind kind() {
        return kind;
    }

    @Override
    public Source source() {
        return source;
    }

    @Override
    public boolean controllable() {
        return false;
    }

    @Override
    public void stop() {
        throw notControllable("stop");
    }

    @Override
    public void start() {
        throw notControllable("start");
    }

    private IllegalStateException notControllable(String action) {
        return new IllegalStateException(kind.displayName() + " " + description + " was not started by this DevStack, so "
                + action + "() cannot control it. Outage tests need a local server: unset the environment override "
                + "(or install the local binary) and use a DevStack that starts it.");
    }

    @Override
    public boolean isRunning() {
        return !closed;
    }

    @Override
    public Optional<Path> logFile() {
        return Optional.empty();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            onClose.run();
        }
    }
}
