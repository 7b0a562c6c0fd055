package dev.commitcast.cdc.engine;

import dev.commitcast.core.Rules;
import dev.commitcast.core.TableRule;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The columns the connector publishes, derived from the rules: Debezium's {@code column.include.list}. An event only
 * has to say which row changed — every update of a row is an event, whatever column it changed — so a table whose
 * rules read some columns publishes those (in the before and the after image) plus its primary key (the record key,
 * which picks the partition). Converting and serialising the other columns was most of the connector's work per event
 * (timestamps above all; ADR-0015).
 *
 * <p>A table is published whole when projecting could lose an invalidation or the record key: it has
 * {@code ignore:} columns (telling "only ignored columns changed" apart needs every column of both images), no rule
 * (its events over-invalidate; whoever reads them may want the row), no primary key, or a name the list cannot carry.
 */
public final class ColumnProjection {

    private ColumnProjection() {
    }

    /**
     * Returns the {@code column.include.list} for the publication's tables, or empty when every table is published
     * whole (then no list is set at all).
     *
     * @param publicationTables {@code schema.table} of every table in the publication
     * @param primaryKeys       primary key columns per {@code schema.table}, in key order (absent: none)
     */
    public static Optional<String> includeList(Rules rules, List<String> publicationTables,
                                               Map<String, List<String>> primaryKeys) {
        List<String> patterns = new ArrayList<>();
        boolean projected = false;
        for (String table : publicationTables) {
            Optional<Set<String>> columns = columns(rules.table(table), primaryKeys.getOrDefault(table, List.of()));
            if (columns.isPresent() && safe(table) && columns.get().stream().allMatch(ColumnProjection::safe)) {
                columns.get().forEach(column -> patterns.add(qualified(table) + "\\." + quote(column)));
                projected = true;
            } else {
                patterns.add(qualified(table) + "\\..*");
            }
        }
        return projected ? Optional.of(String.join(",", patterns)) : Optional.empty();
    }

    /** The columns to publish of a table, or empty for all of them. */
    static Optional<Set<String>> columns(Optional<TableRule> rule, List<String> primaryKey) {
        if (rule.isEmpty() || !rule.get().ignoredColumns().isEmpty() || primaryKey.isEmpty()) {
            return Optional.empty();
        }
        Set<String> columns = new LinkedHashSet<>(primaryKey);
        columns.addAll(rule.get().readColumns().keySet());
        return Optional.of(columns);
    }

    /** Primary key columns of every ordinary table, by {@code schema.table}, in key order. */
    public static Map<String, List<String>> primaryKeys(Connection c) throws SQLException {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select n.nspname, t.relname, a.attname
                from pg_index i
                join pg_class t on t.oid = i.indrelid
                join pg_namespace n on n.oid = t.relnamespace
                cross join lateral unnest(i.indkey) with ordinality as k(attnum, position)
                join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
                where i.indisprimary
                order by n.nspname, t.relname, k.position""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                keys.computeIfAbsent(rs.getString(1) + "." + rs.getString(2), t -> new ArrayList<>())
                        .add(rs.getString(3));
            }
        }
        return keys;
    }

    /** Debezium splits the list at commas and matches each entry as a regular expression against the whole name. */
    private static boolean safe(String name) {
        return !name.isEmpty() && name.indexOf(',') < 0 && !name.contains("\\E");
    }

    private static String qualified(String table) {
        int dot = table.indexOf('.');
        return quote(table.substring(0, dot)) + "\\." + quote(table.substring(dot + 1));
    }

    private static String quote(String name) {
        return name.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_') ? name
                : "\\Q" + name + "\\E";
    }
}
