package dev.commitcast.cdc.continuity;

import dev.commitcast.cdc.CdcException;

/** The change stream cannot be proven continuous and {@code on-continuity-loss = fail}: a permanent failure. */
public final class ContinuityLostException extends CdcException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    ContinuityLostException(String reason, String message) {
        super("Change stream continuity lost (" + reason + "): " + message);
        this.reason = reason;
    }

    /** The {@link dev.commitcast.events.ContinuityReset} reason it would have written. */
    public String reason() {
        return reason;
    }
}
