package dev.commitcast.invalidator.apply;

/**
 * A step of applying a batch failed for a reason that may go away (Redis down or timing out, the dead-letter topic
 * unavailable). The consume loop retries the whole batch with backoff; it never drops it.
 */
public final class RetriableStepException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String step;

    /**
     * @param step  which step failed, also the {@code step} tag of the retry metric ({@code redis}, {@code dlq})
     * @param cause the underlying failure
     */
    public RetriableStepException(String step, String message, Throwable cause) {
        super(message, cause);
        this.step = step;
    }

    public String step() {
        return step;
    }
}
