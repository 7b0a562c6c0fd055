package dev.commitcast.devstack;

import java.sql.Connection;

/**
 * How to reach the dev stack's Postgres as the application role (LOGIN, REPLICATION, CREATEDB) that owns the
 * default database. Thread-safe. The server has {@code wal_level=logical}, so logical replication (Debezium,
 * pgoutput) works with these credentials.
 */
public interface PostgresEndpoint {

    String host();

    int port();

    String user();

    String password();

    /** The default database, owned by {@link #user()}. */
    String database();

    /** {@code jdbc:postgresql://host:port/db}; credentials are not part of the URL. */
    String jdbcUrl(String db);

    /** {@code jdbc:postgresql://host:port/<default database>}. */
    default String jdbcUrl() {
        return jdbcUrl(database());
    }

    /** A {@code postgresql://user:password@host:port/db} URI, as psql and libpq accept it. */
    String uri(String db);

    /**
     * Creates a new, empty database owned by {@link #user()}, named {@code prefix} followed by a unique suffix, and
     * returns its name. For test isolation: each test (class) works in its own database.
     *
     * @param prefix lower-case letters, digits and underscores, starting with a letter, at most 40 characters
     * @throws IllegalArgumentException if the prefix is not of that form
     * @throws DevStackException if the database could not be created
     */
    String createDatabase(String prefix);

    /**
     * Opens a new JDBC connection as {@link #user()} to {@code db}; the caller closes it.
     *
     * @throws DevStackException if the connection fails
     */
    Connection connect(String db);
}
