package dev.commitcast.cdc.publish;

import dev.commitcast.cdc.CdcException;

/**
 * A batch was not (completely) acknowledged by Kafka. Thrown out of the engine's batch handler before any of the
 * batch's records is marked processed, so the engine stops without committing their offsets and the next run
 * replays them (at-least-once).
 */
public final class PublishException extends CdcException {
    private static final long serialVersionUID = 1L;

    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
