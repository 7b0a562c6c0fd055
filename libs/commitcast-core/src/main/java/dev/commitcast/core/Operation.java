package dev.commitcast.core;

import java.util.Objects;

/** The kind of a row change, as Debezium reports it in the {@code op} field of a change event. */
public enum Operation {
    /** A row inserted ({@code c}); the change has an after image only. */
    CREATE("c"),
    /** A row updated ({@code u}); the change has an after image and, with {@code REPLICA IDENTITY FULL}, a before image. */
    UPDATE("u"),
    /** A row deleted ({@code d}); the change has a before image only. */
    DELETE("d"),
    /** A table truncated ({@code t}); the change has no image. */
    TRUNCATE("t"),
    /** A row read by a snapshot ({@code r}); treated like {@link #CREATE}. */
    READ("r");

    private final String debeziumCode;

    Operation(String debeziumCode) {
        this.debeziumCode = debeziumCode;
    }

    /** Returns Debezium's one-letter code of this operation. */
    public String debeziumCode() {
        return debeziumCode;
    }

    /**
     * Returns the operation of a Debezium {@code op} code.
     *
     * @throws IllegalArgumentException naming the code, if it is none of {@code c u d t r}
     */
    public static Operation fromDebeziumCode(String code) {
        Objects.requireNonNull(code, "code");
        for (Operation op : values()) {
            if (op.debeziumCode.equals(code)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown Debezium op code \"" + code + "\"; expected one of c, u, d, t, r");
    }
}
