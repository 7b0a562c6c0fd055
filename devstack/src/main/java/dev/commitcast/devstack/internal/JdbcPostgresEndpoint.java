package dev.commitcast.devstack.internal;

import dev.commitcast.devstack.DevStackException;
import dev.commitcast.devstack.PostgresEndpoint;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;

/** {@link PostgresEndpoint} over JDBC; the same for local, environment and container servers. */
public record JdbcPostgresEndpoint(String host, int port, String user, String password, String database)
        implements PostgresEndpoint {

    private static final Pattern DB_PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final int CONNECT_TIMEOUT_SECONDS = 10;
    private static final String SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int SUFFIX_LENGTH = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String jdbcUrl(String db) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + db;
    }

    @Override
    public String uri(String db) {
        return "postgresql://" + encode(user) + ":" + encode(password) + "@" + host + ":" + port + "/" + encode(db);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String createDatabase(String prefix) {
        if (prefix == null || !DB_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("Database prefix '" + prefix + "' is invalid: use 1-40 lower-case letters, "
                    + "digits or underscores, starting with a letter (e.g. 'orders_it')");
        }
        String name = prefix + "_" + randomSuffix();
        try (Connection c = connect(database()); Statement s = c.createStatement()) {
            // The name is generated from a validated prefix and [a-z0-9]; no quoting needed.
            s.execute("CREATE DATABASE " + name + " OWNER " + quoteIdent(user));
        } catch (SQLException e) {
            throw new DevStackException("Could not create database " + name + " on " + host + ":" + port + " as "
                    + user + " (the role needs CREATEDB): " + e.getMessage(), e);
        }
        return name;
    }

    private static String randomSuffix() {
        StringBuilder sb = new StringBuilder(SUFFIX_LENGTH);
        for (int i = 0; i < SUFFIX_LENGTH; i++) {
            sb.append(SUFFIX_ALPHABET.charAt(RANDOM.nextInt(SUFFIX_ALPHABET.length())));
        }
        return sb.toString();
    }

    static String quoteIdent(String ident) {
        return '"' + ident.replace("\"", "\"\"") + '"';
    }

    @Override
    public Connection connect(String db) {
        try {
            return open(jdbcUrl(db), user, password, CONNECT_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            throw new DevStackException("Could not connect to " + jdbcUrl(db) + " as " + user + ": " + e.getMessage(), e);
        }
    }

    static Connection open(String url, String user, String password, int connectTimeoutSeconds) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", Integer.toString(connectTimeoutSeconds));
        props.setProperty("ApplicationName", "commitcast-devstack");
        return DriverManager.getConnection(url, props);
    }

    @Override
    public String toString() {
        return "postgresql://" + user + ":***@" + host + ":" + port + "/" + database;
    }
}
