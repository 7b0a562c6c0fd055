package dev.commitcast.devstack.internal;

import dev.commitcast.devstack.DevStackOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Parses the {@code COMMITCAST_*} endpoint variables; a malformed value fails fast, naming variable and fix. */
public final class EnvironmentEndpoints {
    static final int DEFAULT_PG_PORT = 5432;
    static final int DEFAULT_REDIS_PORT = 6379;

    private EnvironmentEndpoints() {
    }

    /** {@code postgresql://user:password@host[:port]/db} (also {@code postgres://}). */
    public static JdbcPostgresEndpoint postgres(String value) {
        String key = DevStackOptions.ENV_PG_URL;
        String example = "postgresql://commitcast:PASSWORD@127.0.0.1:5432/commitcast";
        URI uri = parse(key, value, example);
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw bad(key, value, "the scheme must be postgresql://", example);
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null || !userInfo.contains(":")) {
            throw bad(key, value, "user and password are required", example);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        if (path.isEmpty() || uri.getHost() == null) {
            throw bad(key, value, "host and database are required", example);
        }
        int colon = userInfo.indexOf(':');
        return new JdbcPostgresEndpoint(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PG_PORT : uri.getPort(),
                decode(userInfo.substring(0, colon)), decode(userInfo.substring(colon + 1)), decode(path));
    }

    /** Host and port of {@code redis://host[:port]}. */
    public static HostPort redis(String value) {
        String key = DevStackOptions.ENV_REDIS_URL;
        String example = "redis://127.0.0.1:6379";
        URI uri = parse(key, value, example);
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw bad(key, value, "expected redis://host:port", example);
        }
        return new HostPort(uri.getHost(), uri.getPort() < 0 ? DEFAULT_REDIS_PORT : uri.getPort());
    }

    /** {@code host:port[,host:port]}, whitespace removed. */
    public static String kafka(String value) {
        String key = DevStackOptions.ENV_KAFKA_BOOTSTRAP;
        String normalized = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.joining(","));
        boolean valid = !normalized.isEmpty() && Arrays.stream(normalized.split(","))
                .allMatch(hp -> hp.matches("[^:/\\s]+:\\d{1,5}") || hp.matches("\\[[0-9a-fA-F:]+]:\\d{1,5}"));
        if (!valid) {
            throw bad(key, value, "expected host:port[,host:port]", "127.0.0.1:9092");
        }
        return normalized;
    }

    public record HostPort(String host, int port) {
    }

    private static URI parse(String key, String value, String example) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw bad(key, value, e.getMessage() + " (percent-encode special characters in the password)", example);
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException bad(String key, String value, String problem, String example) {
        String shown = value.replaceFirst("(://[^:/@]*:)[^@]*@", "$1***@");
        return new IllegalArgumentException(key + "=" + shown + " is invalid: " + problem + ", e.g. " + key + "=" + example
                + " (or unset it to start a local server)");
    }
}
