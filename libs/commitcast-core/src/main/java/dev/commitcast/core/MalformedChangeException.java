package dev.commitcast.core;

import java.util.Objects;

/**
 * A row change that {@link Rules} cannot map to cache keys: unknown table, missing image, a bound column missing
 * from an image or holding a value its key part's type rejects. Permanent: retrying the same event fails the same
 * way. The consumer applies {@link Rules#fallbackFor(String)} (over-invalidates) and moves on, never dropping the
 * event silently nor retrying it forever.
 */
public final class MalformedChangeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String table;
    private final Operation operation;
    private final String column;

    /**
     * Creates the exception.
     *
     * @param table     the change's schema-qualified table
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

    /** Returns the change's schema-qualified table. */
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
