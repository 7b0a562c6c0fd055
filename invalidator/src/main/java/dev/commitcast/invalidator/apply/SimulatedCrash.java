package dev.commitcast.invalidator.apply;

/**
 * Thrown by a test's {@link ApplyHooks} to simulate a process crash at that point: the consume loop stops without
 * committing and without retrying. An {@link Error}, so that no {@code catch (RuntimeException)} on the way swallows
 * it.
 */
public final class SimulatedCrash extends Error {

    private static final long serialVersionUID = 1L;

    public SimulatedCrash(String message) {
        super(message);
    }
}
