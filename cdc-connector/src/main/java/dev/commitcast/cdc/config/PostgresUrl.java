package dev.commitcast.cdc.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A single-host {@code jdbc:postgresql://host[:port]/database[?k=v&...]} URL, split into the parts Debezium's
 * {@code database.*} options take. Immutable.
 *
 * @param host       host name or address
 * @param port       TCP port ({@value #DEFAULT_PORT} when the URL has none)
 * @param database   database name
 * @param parameters query parameters in URL order, e.g. {@code sslmode}
 */
public record PostgresUrl(String host, int port, String database, Map<String, String> parameters) {
    public static final int DEFAULT_PORT = 5432;
    private static final String SCHEME = "jdbc:postgresql://";

    public PostgresUrl {
        parameters = Map.copyOf(parameters);
    }

    /**
     * @param key the configuration key, named in errors
     * @throws IllegalArgumentException naming key and value when the URL is not a single-host PostgreSQL JDBC URL
     */
    public static PostgresUrl parse(String key, String url) {
        String expected = ": expected jdbc:postgresql://host[:port]/database";
        if (url == null || !url.startsWith(SCHEME)) {
            throw new IllegalArgumentException("Invalid " + key + " = \"" + url + "\"" + expected);
        }
        if (url.substring(SCHEME.length()).split("[/?]", 2)[0].contains(",")) {
            throw new IllegalArgumentException("Invalid " + key + " = \"" + url + "\": multi-host URLs are not "
                    + "supported by logical replication; name the primary only");
        }
        URI uri;
        try {
            uri = new URI(url.substring("jdbc:".length()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Invalid " + key + " = \"" + url + "\"" + expected, e);
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        if (uri.getHost() == null || database.isBlank() || database.contains("/")) {
            throw new IllegalArgumentException("Invalid " + key + " = \"" + url + "\"" + expected);
        }
        return new PostgresUrl(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), database,
                query(uri.getRawQuery()));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> result = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return result;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            result.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return result;
    }

    /** {@code host:port/database}, for log lines and messages (no credentials). */
    public String describe() {
        return host + ":" + port + "/" + database;
    }
}
