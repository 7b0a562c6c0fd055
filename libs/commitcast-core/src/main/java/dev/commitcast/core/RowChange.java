package dev.commitcast.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One row change, decoded from a Debezium change event.
 *
 * <p>Images are keyed by SQL column name. Values come from JSON, so a number may be an {@code Integer}, {@code Long},
 * {@code BigInteger}, {@code BigDecimal} or a numeric {@code String}; a column value may be {@code null}. Which images
 * are present depends on the operation (see {@link Operation}); this record does not check that, {@link Rules} does,
 * so that a malformed event can still be represented, logged and handled.
 *
 * <p>Immutable: the images are copied (keeping {@code null} values) and exposed unmodifiable.
 *
 * @param schema the table's schema, as in Debezium's {@code source.schema}, e.g. {@code public}
 * @param table  the table's name, as in Debezium's {@code source.table}, e.g. {@code users}
 * @param op     the operation
 * @param before the row before the change, or {@code null}
 * @param after  the row after the change, or {@code null}
 * @param source where the change comes from in the WAL
 */
public record RowChange(String schema, String table, Operation op, Map<String, Object> before,
                        Map<String, Object> after, SourcePosition source) {

    /** Validates the components and copies the images. */
    public RowChange {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        if (schema.isBlank() || table.isBlank()) {
            throw new IllegalArgumentException("schema and table must not be blank, were \"" + schema + "\" and \""
                    + table + "\"");
        }
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(source, "source");
        before = copy(before);
        after = copy(after);
    }

    /** Returns {@code schema.table}, the name the rules file uses. */
    public String qualifiedTable() {
        return schema + "." + table;
    }

    private static Map<String, Object> copy(Map<String, Object> image) {
        // Map.copyOf would reject the null values of nullable columns.
        return image == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(image));
    }
}
