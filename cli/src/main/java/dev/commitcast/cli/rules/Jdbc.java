package dev.commitcast.cli.rules;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * A Postgres address as a user writes it: {@code postgresql://user:password@host:port/db?params} (what
 * {@code ./commitcast env} exports as {@code COMMITCAST_PG_URL}, and what psql takes) or a {@code jdbc:postgresql:}
 * URL. The password goes into the connection properties, never into a printed string.
 *
 * @param url        the JDBC URL without credentials
 * @param properties user and password
 */
record Jdbc(String url, Properties properties) {

    static Jdbc parse(String text) {
        Properties properties = new Properties();
        if (text.startsWith("jdbc:postgresql:")) {
            return new Jdbc(text, properties);
        }
        URI uri;
        try {
            uri = URI.create(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--db: not a URL: " + e.getMessage()
                    + "; expected postgresql://user:password@host:port/db");
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--db: expected postgresql://user:password@host:port/db or a "
                    + "jdbc:postgresql: URL");
        }
        if (uri.getRawUserInfo() != null) {
            String[] user = uri.getRawUserInfo().split(":", 2);
            properties.setProperty("user", URLDecoder.decode(user[0], StandardCharsets.UTF_8));
            if (user.length > 1) {
                properties.setProperty("password", URLDecoder.decode(user[1], StandardCharsets.UTF_8));
            }
        }
        String url = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + (uri.getRawPath() == null ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new Jdbc(url, properties);
    }

    /** The address without credentials, for messages. */
    String describe() {
        return url.substring("jdbc:".length());
    }
}
