package dev.commitcast.keys;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * One image (before or after) of a {@link RowChange}, read by {@link InvalidationRules}: extracts positive integer
 * columns from JSON-decoded values and reports anything else as a {@link MalformedChangeException}.
 */
final class ChangeImage {

    private final RowChange change;
    private final String name;
    private final Map<String, Object> row;

    ChangeImage(RowChange change, String name, Map<String, Object> row) {
        this.change = change;
        this.name = name;
        this.row = row;
    }

    /** Returns the operation of the change this image belongs to. */
    Operation op() {
        return change.op();
    }

    /** Returns the column as a positive long. */
    long id(String column) {
        Object value = row.get(column);
        if (value == null) {
            throw malformed(column, "column '" + column + "' missing in " + name + " image");
        }
        long id = toLong(column, value);
        if (id <= 0) {
            throw malformed(column, notPositive(column, value));
        }
        return id;
    }

    private long toLong(String column, Object value) {
        try {
            return switch (value) {
                case Long l -> l;
                case Integer i -> i;
                case Short s -> s;
                case Byte b -> b;
                case BigInteger b -> b.longValueExact();
                case BigDecimal d -> d.longValueExact();
                case String s -> DecimalParser.parse(s);
                default -> throw malformed(column, "column '" + column + "' in " + name + " image has type "
                        + value.getClass().getSimpleName() + ", expected an integer or a numeric string");
            };
        } catch (ArithmeticException e) {
            throw malformed(column, notPositive(column, value));
        }
    }

    private String notPositive(String column, Object value) {
        return "column '" + column + "' in " + name + " image must be an integer > 0, was " + quoted(value);
    }

    private static String quoted(Object value) {
        return value instanceof String s ? Quoting.quote(s) : String.valueOf(value);
    }

    private MalformedChangeException malformed(String column, String problem) {
        return new MalformedChangeException(change.table(), change.op(), column, problem);
    }
}
