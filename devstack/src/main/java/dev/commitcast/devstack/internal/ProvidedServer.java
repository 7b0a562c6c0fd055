package dev.commitcast.devstack.internal;

import dev.commitcast.devstack.ServerControl;

/** A server of the stack, whatever its source, with its endpoint. */
public interface ProvidedServer<E> extends ServerControl {

    E endpoint();

    /** Stops the server (if this stack runs it) and releases clients; idempotent, never throws for a dead server. */
    void close();
}
