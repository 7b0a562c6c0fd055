package dev.commitcast.keys;

import java.util.Objects;

/**
 * A row change that {@link InvalidationRules} cannot map to cache keys: unknown table, missing image, or a required
 * column missing or not a positive integer. Permanent: retrying the same event fails the same way. The consumer
 * should apply {@link InvalidationRules#fallbackFor(String)} (over-invalidate) and move on, never drop the event
 * silently nor retry it forever.
 */
public final class MalformedChangeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String table;
    private final Operation operation;
    private final String column;

    /**
     * Creates the exception.
     *
     * @param table     the change's table
     * @param operation the change's operation
     * @param column    the offending column, or {@code null} if the problem is not one column
     * @param problem   what is wrong, e.g. {@code "column 'org_id' missing in after image"}
     */
    public MalformedChangeException(String table, Operation operation, String column, String problem) {
        super("malformed " + table + " " + operation + " change: " + problem);
        this.table = table;
        this.operation = Objects.requireNonNull(operation, "operation");
        this.column = column;
    }

    /** Returns the change's table. */
    public String table() {
        return table;
    }

    /** Returns the change's operation. */
    public Operation operation() {
        return operation;
    }

    /** Returns the offending column, or {@code null} if the problem is not one column. */
    public String column() {
        return column;
    }
}
