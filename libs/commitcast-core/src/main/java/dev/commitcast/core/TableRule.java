package dev.commitcast.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the changes of one captured table invalidate, compiled from the rules file: keys bound to columns (evaluated on
 * the before and the after image), namespaces on delete, namespaces on truncate, and columns whose change alone
 * invalidates nothing. Immutable and thread-safe.
 */
public final class TableRule {

    /** A kind whose key parts are read from columns. */
    record Binding(KeyKind kind, List<String> columns) {
    }

    /** A namespace invalidated when a row is deleted; {@code tagColumn} null means every hash-tag value. */
    record DeleteNamespace(List<KeyKind> kinds, String tagColumn, PartType tagType) {
    }

    private final String schema;
    private final String table;
    private final int line;
    private final List<Binding> bindings;
    private final List<DeleteNamespace> onDelete;
    private final Invalidation onTruncate;
    private final Set<String> ignoredColumns;
    private final Map<String, PartType> readColumns;

    TableRule(String schema, String table, int line, List<Binding> bindings, List<DeleteNamespace> onDelete,
              Invalidation onTruncate, Set<String> ignoredColumns) {
        this.schema = schema;
        this.table = table;
        this.line = line;
        this.bindings = List.copyOf(bindings);
        this.onDelete = List.copyOf(onDelete);
        this.onTruncate = Objects.requireNonNull(onTruncate);
        this.ignoredColumns = Collections.unmodifiableSet(new LinkedHashSet<>(ignoredColumns));
        Map<String, PartType> read = new LinkedHashMap<>();
        for (Binding binding : bindings) {
            for (int i = 0; i < binding.columns().size(); i++) {
                read.putIfAbsent(binding.columns().get(i), binding.kind().parts().get(i).type());
            }
        }
        for (DeleteNamespace namespace : onDelete) {
            if (namespace.tagColumn() != null) {
                read.putIfAbsent(namespace.tagColumn(), namespace.tagType());
            }
        }
        this.readColumns = Collections.unmodifiableMap(read);
    }

    /** Returns the schema, e.g. {@code public}. */
    public String schema() {
        return schema;
    }

    /** Returns the table name, e.g. {@code users}. */
    public String table() {
        return table;
    }

    /** Returns {@code schema.table}. */
    public String qualifiedName() {
        return schema + "." + table;
    }

    /** Returns the line of the table's entry in the rules file. */
    public int line() {
        return line;
    }

    /** Returns every column a rule reads, with the key part type its values must fit. */
    public Map<String, PartType> readColumns() {
        return readColumns;
    }

    /** Returns the columns whose change alone invalidates nothing. */
    public Set<String> ignoredColumns() {
        return ignoredColumns;
    }

    /** Returns the kinds this table's row changes (not truncates) can invalidate, in declaration order. */
    public List<KeyKind> kinds() {
        Set<KeyKind> kinds = new LinkedHashSet<>();
        bindings.forEach(b -> kinds.add(b.kind()));
        onDelete.forEach(n -> kinds.addAll(n.kinds()));
        return new ArrayList<>(kinds);
    }

    /** Returns what a TRUNCATE (or an event of this table that cannot be decoded) invalidates. */
    public Invalidation onTruncate() {
        return onTruncate;
    }

    List<Binding> bindings() {
        return bindings;
    }

    List<DeleteNamespace> onDelete() {
        return onDelete;
    }

    /** Returns a description for the fingerprint; equal semantics give equal text. */
    String canonical() {
        List<String> parts = new ArrayList<>();
        for (Binding binding : bindings) {
            StringBuilder sb = new StringBuilder("bind ").append(binding.kind().name()).append('(');
            for (int i = 0; i < binding.columns().size(); i++) {
                sb.append(binding.kind().parts().get(i).name()).append('=').append(binding.columns().get(i))
                        .append(',');
            }
            parts.add(sb.append(')').toString());
        }
        for (DeleteNamespace namespace : onDelete) {
            List<String> kinds = new ArrayList<>();
            namespace.kinds().forEach(k -> kinds.add(k.name()));
            Collections.sort(kinds);
            parts.add("delete " + kinds + " tag=" + namespace.tagColumn());
        }
        Collections.sort(parts);
        List<String> truncate = new ArrayList<>();
        onTruncate.namespaces().forEach(n -> truncate.add(n.wire()));
        Collections.sort(truncate);
        List<String> ignored = new ArrayList<>(ignoredColumns);
        Collections.sort(ignored);
        return "table " + qualifiedName() + " " + parts + " truncate " + truncate + " ignore " + ignored;
    }

    @Override
    public String toString() {
        return "TableRule[" + qualifiedName() + "]";
    }
}
