package dev.commitcast.cli.rules;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import dev.commitcast.core.Secrets;
import java.util.Map;
import java.util.Properties;

/**
 * A Postgres address as a user writes it: {@code postgresql://user@host:port/db?params} (what
 * {@code ./commitcast env} exports as {@code COMMITCAST_PG_URL}, and what psql takes) or a {@code jdbc:postgresql:}
 * URL. A password is never taken from the command line, where every local user can read it ({@code ps}): it comes
 * from {@code COMMITCAST_PG_PASSWORD}, a file named by {@code COMMITCAST_PG_PASSWORD_FILE}, or {@code PGPASSWORD};
 * it goes into the connection properties, never into a printed string.
 *
 * @param url        the JDBC URL without credentials
 * @param properties user and password
 */
record Jdbc(String url, Properties properties) {

    static Jdbc parse(String text, Map<String, String> env) {
        Properties properties = new Properties();
        Object fromFile = Secrets.fromFiles(env, Map.of("COMMITCAST_PG_PASSWORD_FILE", "password")).get("password");
        String password = fromFile != null ? fromFile.toString()
                : env.getOrDefault("COMMITCAST_PG_PASSWORD", env.getOrDefault("PGPASSWORD", ""));
        if (!password.isEmpty()) {
            properties.setProperty("password", password);
        }
        if (text.startsWith("jdbc:postgresql:")) {
            if (Secrets.redact(text).length() != text.length() || text.toLowerCase(java.util.Locale.ROOT)
                    .contains("password=")) {
                throw passwordOnCommandLine();
            }
            return new Jdbc(text, properties);
        }
        URI uri;
        try {
            uri = URI.create(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--db: not a URL: " + e.getMessage()
                    + "; expected postgresql://user@host:port/db");
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--db: expected postgresql://user@host:port/db or a "
                    + "jdbc:postgresql: URL");
        }
        if (uri.getRawUserInfo() != null) {
            String[] user = uri.getRawUserInfo().split(":", 2);
            properties.setProperty("user", URLDecoder.decode(user[0], StandardCharsets.UTF_8));
            if (user.length > 1) {
                throw passwordOnCommandLine();
            }
        }
        String url = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + (uri.getRawPath() == null ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new Jdbc(url, properties);
    }

    private static IllegalArgumentException passwordOnCommandLine() {
        return new IllegalArgumentException("--db: the URL holds a password, which every local user can read in the "
                + "process list; give the URL without it and the password in COMMITCAST_PG_PASSWORD, in a file named "
                + "by COMMITCAST_PG_PASSWORD_FILE, or in PGPASSWORD");
    }

    /** The address without credentials, for messages. */
    String describe() {
        return url.substring("jdbc:".length());
    }
}
