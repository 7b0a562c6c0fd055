package dev.commitcast.events;

/**
 * A Kafka record that is not a change event Commitcast understands: not JSON, not a Debezium envelope, an unknown
 * {@code op}, a field of the wrong type. Permanent: decoding the same bytes fails the same way, so the record goes to
 * the dead-letter topic and its table (when known) is over-invalidated; it is never retried.
 */
public final class ChangeDecodeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String table;

    /**
     * @param table   the schema-qualified table the record belongs to, when it could be read; {@code null} otherwise
     * @param message what is wrong
     * @param cause   the parser's exception, or {@code null}
     */
    public ChangeDecodeException(String table, String message, Throwable cause) {
        super(message, cause);
        this.table = table;
    }

    /** Returns the record's schema-qualified table, or {@code null} when it could not be read. */
    public String table() {
        return table;
    }
}
