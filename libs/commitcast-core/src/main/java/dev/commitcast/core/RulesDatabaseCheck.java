package dev.commitcast.core;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks rules against a live Postgres database, as {@code ./commitcast rules check --db URL} and the connector's
 * start-up checks do: every ruled table exists; every column a rule reads exists with a type its key part can hold;
 * the table's before images carry those columns ({@code REPLICA IDENTITY FULL} where a rule reads a column outside
 * the replica identity); the publication exists, publishes inserts, updates, deletes and truncates, and captures
 * exactly the ruled tables. Each finding says what to run to fix it. Uses only {@code java.sql}; the caller brings the
 * driver and the connection. Stateless.
 */
public final class RulesDatabaseCheck {

    /** How serious a finding is. */
    public enum Severity {
        /** Invalidation would be wrong or fail: a process must not start on it. */
        ERROR,
        /** Works, but the operator should know (e.g. a key part wider than its column). */
        WARNING
    }

    /**
     * One finding.
     *
     * @param severity how serious
     * @param subject  what it is about, e.g. {@code public.users} or {@code public.users.org_id}
     * @param message  what is wrong and why it matters
     * @param fix      the SQL (or action) that fixes it, or empty
     */
    public record Finding(Severity severity, String subject, String message, String fix) {
        /** Returns {@code ERROR public.users: message (fix: ...)}. */
        @Override
        public String toString() {
            return severity + " " + subject + ": " + message + (fix.isEmpty() ? "" : "\n    fix: " + fix);
        }
    }

    private RulesDatabaseCheck() {
    }

    /** Returns whether any finding is an error. */
    public static boolean hasErrors(List<Finding> findings) {
        return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
    }

    /**
     * Checks the rules against the database the connection is open on.
     *
     * @param publication the publication the connector streams, e.g. {@code commitcast_pub}
     * @throws SQLException when the catalogs cannot be read
     */
    public static List<Finding> check(Rules rules, Connection connection, String publication) throws SQLException {
        Objects.requireNonNull(rules, "rules");
        List<Finding> findings = new ArrayList<>();
        for (TableRule rule : rules.tables()) {
            checkTable(rule, connection, findings);
        }
        checkPublication(rules, connection, publication, findings);
        return findings;
    }

    private static void checkTable(TableRule rule, Connection c, List<Finding> findings) throws SQLException {
        String table = rule.qualifiedName();
        long oid;
        String identity;
        try (PreparedStatement ps = c.prepareStatement("select c.oid, c.relreplident from pg_class c join "
                + "pg_namespace n on n.oid = c.relnamespace where n.nspname = ? and c.relname = ? "
                + "and c.relkind in ('r', 'p')")) {
            ps.setString(1, rule.schema());
            ps.setString(2, rule.table());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    findings.add(new Finding(Severity.ERROR, table, "the rules (line " + rule.line() + ") name this "
                            + "table, but the database has no such table", "create it, or remove its rule"));
                    return;
                }
                oid = rs.getLong(1);
                identity = rs.getString(2);
            }
        }
        Map<String, String> types = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select a.attname, t.typname from pg_attribute a join pg_type t "
                + "on t.oid = a.atttypid where a.attrelid = ? and a.attnum > 0 and not a.attisdropped")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        Set<String> identityColumns = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("select a.attname from pg_index i join pg_attribute a on "
                + "a.attrelid = i.indrelid and a.attnum = any(i.indkey) where i.indrelid = ? and "
                + "((i.indisprimary and ? = 'd') or (i.indisreplident and ? = 'i'))")) {
            ps.setLong(1, oid);
            ps.setString(2, identity);
            ps.setString(3, identity);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    identityColumns.add(rs.getString(1));
                }
            }
        }
        Set<String> outsideIdentity = new TreeSet<>();
        for (Map.Entry<String, PartType> read : rule.readColumns().entrySet()) {
            String column = read.getKey();
            String type = types.get(column);
            if (type == null) {
                findings.add(new Finding(Severity.ERROR, table + "." + column, "a rule binds this column, but the "
                        + "table has no such column (its columns are " + types.keySet() + ")",
                        "bind an existing column in the rules file (line " + rule.line() + ")"));
                continue;
            }
            compatibility(read.getValue(), type, table + "." + column, findings);
            if (!identityColumns.contains(column)) {
                outsideIdentity.add(column);
            }
        }
        for (String ignored : rule.ignoredColumns()) {
            if (!types.containsKey(ignored)) {
                findings.add(new Finding(Severity.WARNING, table + "." + ignored, "ignore-columns names a column the "
                        + "table does not have", "remove it from ignore-columns"));
            }
        }
        if ("n".equals(identity)) {
            findings.add(new Finding(Severity.ERROR, table, "REPLICA IDENTITY NOTHING: updates and deletes carry no "
                    + "before image, so the old keys of a changed row cannot be invalidated",
                    "ALTER TABLE " + quote(rule) + " REPLICA IDENTITY FULL;"));
        } else if (!"f".equals(identity) && (!outsideIdentity.isEmpty() || !rule.ignoredColumns().isEmpty())) {
            findings.add(new Finding(Severity.ERROR, table, "the rules read " + (outsideIdentity.isEmpty()
                    ? "whole before images (ignore-columns)" : "columns " + outsideIdentity)
                    + " of before images, which REPLICA IDENTITY " + ("d".equals(identity) ? "DEFAULT" : "INDEX")
                    + " leaves out: a row that moves (e.g. to another parent) would not invalidate its old keys",
                    "ALTER TABLE " + quote(rule) + " REPLICA IDENTITY FULL;"));
        }
    }

    private static void compatibility(PartType part, String type, String subject, List<Finding> findings) {
        Set<String> integers = Set.of("int2", "int4", "int8");
        Set<String> texts = Set.of("text", "varchar", "bpchar", "citext", "name");
        String problem = switch (part) {
            case BIGINT -> integers.contains(type) ? null : type.equals("numeric") ? "warn:numeric values must be "
                    + "integers" : "error";
            case INT -> Set.of("int2", "int4").contains(type) ? null : type.equals("int8") ? "warn:bigint values "
                    + "beyond the int range would be malformed events; declare the part bigint" : "error";
            case TEXT -> switch (type) {
                case "text", "varchar", "name" -> null;
                case "bpchar" -> "warn:char(n) values arrive blank-padded to n characters, so an application must "
                        + "build its keys from the padded value (or the column should be varchar/text)";
                case "citext" -> "warn:values arrive in their stored case, so an application that builds a key "
                        + "from another spelling (\"AB\" for \"ab\") names a key no change invalidates";
                case "uuid" -> "warn:values arrive in lower case; declare the part uuid so that keys built from "
                        + "any spelling are canonical";
                default -> "error";
            };
            case UUID -> type.equals("uuid") ? null : texts.contains(type) ? "warn:every value must be a uuid"
                    : "error";
        };
        if (problem == null) {
            return;
        }
        if (problem.startsWith("warn:")) {
            findings.add(new Finding(Severity.WARNING, subject, "column type " + type + " for a key part of type "
                    + part.yamlName() + ": " + problem.substring(5), ""));
        } else {
            findings.add(new Finding(Severity.ERROR, subject, "column type " + type + " cannot hold a key part of "
                    + "type " + part.yamlName() + "; every change event would be malformed",
                    "declare the part with the column's type in the rules file (bigint, int, text or uuid)"));
        }
    }

    private static void checkPublication(Rules rules, Connection c, String publication, List<Finding> findings)
            throws SQLException {
        boolean allTables;
        boolean everyOperation;
        try (PreparedStatement ps = c.prepareStatement("select puballtables, pubinsert and pubupdate and pubdelete "
                + "and pubtruncate from pg_publication where pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    findings.add(new Finding(Severity.ERROR, "publication " + publication, "does not exist, so "
                            + "nothing is captured", "CREATE PUBLICATION " + publication + " FOR TABLE "
                            + String.join(", ", quotedTables(rules)) + ";"));
                    return;
                }
                allTables = rs.getBoolean(1);
                everyOperation = rs.getBoolean(2);
            }
        }
        if (!everyOperation) {
            findings.add(new Finding(Severity.ERROR, "publication " + publication, "does not publish every "
                    + "operation; a missing insert, update, delete or truncate would never be invalidated",
                    "ALTER PUBLICATION " + publication + " SET (publish = 'insert, update, delete, truncate');"));
        }
        Set<String> captured = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("select schemaname || '.' || tablename from "
                + "pg_publication_tables where pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    captured.add(rs.getString(1));
                }
            }
        }
        Set<String> ruled = new TreeSet<>();
        rules.tables().forEach(t -> ruled.add(t.qualifiedName()));
        for (TableRule rule : rules.tables()) {
            if (!captured.contains(rule.qualifiedName())) {
                findings.add(new Finding(Severity.ERROR, "publication " + publication, "does not capture "
                        + rule.qualifiedName() + ", so its changes never reach the caches",
                        "ALTER PUBLICATION " + publication + " ADD TABLE " + quote(rule) + ";"));
            }
        }
        for (String table : captured) {
            if (!ruled.contains(table)) {
                findings.add(new Finding(Severity.ERROR, "publication " + publication, "captures " + table
                        + ", which has no rules: each of its changes would be dead-lettered and flush every cache",
                        allTables ? "recreate the publication FOR TABLE " + String.join(", ", quotedTables(rules))
                                : "ALTER PUBLICATION " + publication + " DROP TABLE " + table
                                + "; (or add rules for it)"));
            }
        }
    }

    private static List<String> quotedTables(Rules rules) {
        List<String> tables = new ArrayList<>();
        rules.tables().forEach(t -> tables.add(quote(t)));
        return tables;
    }

    private static String quote(TableRule rule) {
        return ident(rule.schema()) + "." + ident(rule.table());
    }

    private static String ident(String name) {
        return name.matches("[a-z_][a-z0-9_]*") ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
