package dev.commitcast.api.data;

import io.micronaut.data.connection.exceptions.ConnectionException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Map;

/**
 * Classifies database failures: constraint violations become client errors naming the field, connection and
 * capacity problems become {@link DataUnavailableException} (retriable), anything else is a bug and is returned
 * unchanged. Stateless.
 */
public final class SqlErrors {

    /** Unique constraints of the schema and the request field each protects. */
    private static final Map<String, String> UNIQUE_FIELDS = Map.of(
            "users_org_email_key", "email",
            "roles_org_name_key", "name");

    private SqlErrors() {
    }

    /** Returns the API error for a failure of a database call, or the failure itself if it is not classified. */
    public static RuntimeException translate(RuntimeException failure) {
        SQLException sql = findSqlException(failure);
        if (connectionLevel(failure)) {
            // e.g. Hikari's "Connection is closed" (no SQLState) when Micronaut Data prepares a pooled connection
            // that Postgres terminated: an outage, not a bug
            return unavailable(sql != null ? sql : failure, failure);
        }
        if (sql == null) {
            return failure;
        }
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        if (sql instanceof SQLTransientException || sql instanceof SQLRecoverableException
                || sql instanceof SQLNonTransientConnectionException || state.startsWith("08")
                || state.startsWith("53") || state.startsWith("57")) {
            return unavailable(sql, failure);
        }
        String constraint = constraintOf(sql);
        return switch (state) {
            case "23505" -> {
                String field = UNIQUE_FIELDS.getOrDefault(constraint, null);
                yield new ConflictException(field, (field == null ? "value" : field)
                        + " already exists (unique constraint " + constraint + ")", failure);
            }
            case "23514", "23502" -> new InvalidFieldException(fieldOf(constraint),
                    "value rejected by database constraint " + constraint, failure);
            case "22001" -> new InvalidFieldException(null, "a value is too long", failure);
            default -> failure;
        };
    }

    /** {@code users_display_name_check} → {@code displayName}: the column of a Postgres default check name. */
    static String fieldOf(String constraint) {
        if (constraint == null) {
            return null;
        }
        String column = constraint.replaceFirst("^(users|roles|org_settings|role_permissions|orgs)_", "")
                .replaceFirst("_check$", "");
        StringBuilder camel = new StringBuilder();
        boolean upper = false;
        for (char c : column.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                camel.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return camel.toString();
    }

    /** A 503 for a failure whose cause (its first message line is shown) means Postgres cannot answer now. */
    public static DataUnavailableException unavailable(Throwable cause, RuntimeException failure) {
        return new DataUnavailableException("database unavailable: " + firstLine(cause.getMessage()), failure);
    }

    /** Whether Micronaut Data could not obtain or prepare a connection. */
    private static boolean connectionLevel(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectionException) {
                return true;
            }
        }
        return false;
    }

    /** The first {@link SQLException} in the cause chain, or null. */
    public static SQLException findSqlException(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    private static String constraintOf(SQLException sql) {
        if (sql instanceof PSQLException psql) {
            ServerErrorMessage message = psql.getServerErrorMessage();
            return message == null ? null : message.getConstraint();
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
