package dev.commitcast.redis;

import dev.commitcast.core.Secrets;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a Commitcast process reaches Redis: a {@code redis://} or {@code rediss://} (TLS) URI — or, for Redis Cluster,
 * {@code redis-cluster://host:port,host:port} ({@code rediss-cluster://} for TLS) naming one or more seed nodes —
 * an optional ACL user and
 * password, and optionally a CA certificate (PEM) to trust for TLS instead of the JVM's trust store. The password is
 * never part of {@link #toString()} or {@link #describe()}, nor of any message this class builds; a password written
 * into the URI's user info is accepted but masked the same way. Immutable.
 *
 * @param uri      {@code redis[s]://[[user]:password@]host[:port][/database]} or
 *                 {@code redis[s]-cluster://[[user]:password@]host:port[,host:port...]}
 * @param user     ACL user (Redis 6+), empty for the {@code default} user
 * @param password password of {@code user} (or of {@code requirepass}), empty for none
 * @param tlsCa    PEM file of the CA that signed the server's certificate, empty to use the JVM's trust store
 */
public record RedisEndpoint(String uri, Optional<String> user, Optional<String> password, Optional<Path> tlsCa) {

    public RedisEndpoint {
        user = user.filter(u -> !u.isEmpty());
        password = password.filter(p -> !p.isEmpty());
        tlsCa = tlsCa.filter(p -> !p.toString().isEmpty());
    }

    /** An endpoint from configuration strings, where empty (or null) means not set. */
    public static RedisEndpoint of(String uri, String user, String password, String tlsCaFile) {
        return new RedisEndpoint(uri, Optional.ofNullable(user), Optional.ofNullable(password),
                Optional.ofNullable(tlsCaFile).filter(f -> !f.isBlank()).map(Path::of));
    }

    /** An endpoint with neither credentials nor a CA file (dev stacks, tests). */
    public static RedisEndpoint of(String uri) {
        return new RedisEndpoint(uri, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * Checks the URI and the CA file; {@code keyPrefix} names the settings in messages (e.g.
     * {@code commitcast.redis}).
     *
     * @throws IllegalArgumentException naming the setting, never showing a password
     */
    public RedisEndpoint validate(String keyPrefix) {
        RedisURI parsed;
        try {
            parsed = seeds().getFirst();
        } catch (BadClusterUri e) {
            throw new IllegalArgumentException(keyPrefix + ".uri = \"" + Secrets.redact(uri) + "\" is not a Redis "
                    + "Cluster URI: " + e.getMessage() + " (expected redis-cluster://host:port,host:port or "
                    + "rediss-cluster://... for TLS)", null);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(keyPrefix + ".uri = \"" + Secrets.redact(uri) + "\" is not a Redis URI"
                    + " (expected redis://host:port, rediss://host:port for TLS, or redis-cluster://host:port,host:port"
                    + " for Redis Cluster)", null);
        }
        if (tlsCa.isPresent()) {
            if (!parsed.isSsl()) {
                throw new IllegalArgumentException(keyPrefix + ".tls-ca-file is set but " + keyPrefix + ".uri = \""
                        + Secrets.redact(uri) + "\" is not TLS: use rediss://");
            }
            if (!Files.isReadable(tlsCa.get())) {
                throw new IllegalArgumentException(keyPrefix + ".tls-ca-file = " + tlsCa.get()
                        + ": not a readable file (the PEM certificate of the CA that signed Redis' certificate)");
            }
        }
        if (user.isPresent() && password.isEmpty() && parsed.getPassword() == null) {
            throw new IllegalArgumentException(keyPrefix + ".user = " + user.get() + " has no password: set "
                    + keyPrefix + ".password (or its _FILE variable)");
        }
        return this;
    }

    /** Whether this names a Redis Cluster ({@code redis-cluster://} or {@code rediss-cluster://}). */
    public boolean cluster() {
        return uri.startsWith(CLUSTER_SCHEME) || uri.startsWith(TLS_CLUSTER_SCHEME);
    }

    /**
     * The Lettuce URIs with the credentials and {@code timeout}: the one server, or every seed node of a cluster.
     */
    public List<RedisURI> redisUris(Duration timeout) {
        List<RedisURI> uris = new ArrayList<>();
        for (RedisURI seed : seeds()) {
            uris.add(withCredentials(seed, timeout));
        }
        return List.copyOf(uris);
    }

    /** The Lettuce URI of a standalone server with the credentials and {@code timeout}; the first seed of a cluster. */
    public RedisURI redisUri(Duration timeout) {
        return withCredentials(seeds().getFirst(), timeout);
    }

    private static final String CLUSTER_SCHEME = "redis-cluster://";
    private static final String TLS_CLUSTER_SCHEME = "rediss-cluster://";

    /** A cluster URI that cannot be read; the message says why, without the password. */
    private static final class BadClusterUri extends IllegalArgumentException {
        BadClusterUri(String reason) {
            super(reason);
        }
    }

    /** The URI as Lettuce URIs without our credentials: one, or one per cluster seed. */
    private List<RedisURI> seeds() {
        if (!cluster()) {
            return List.of(RedisURI.create(uri));
        }
        boolean tls = uri.startsWith(TLS_CLUSTER_SCHEME);
        String rest = uri.substring(tls ? TLS_CLUSTER_SCHEME.length() : CLUSTER_SCHEME.length());
        String userInfo = "";
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            userInfo = rest.substring(0, at + 1);
            rest = rest.substring(at + 1);
        }
        if (rest.contains("/") || rest.contains("?")) {
            throw new BadClusterUri("a cluster has no database number or options; name only host:port pairs");
        }
        List<RedisURI> seeds = new ArrayList<>();
        for (String node : rest.split(",", -1)) {
            node = node.strip();
            int colon = node.lastIndexOf(':');
            if (node.isEmpty() || colon <= 0 || colon == node.length() - 1) {
                throw new BadClusterUri("seed node \"" + node + "\" is not host:port");
            }
            try {
                int port = Integer.parseInt(node.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new BadClusterUri("seed node \"" + node + "\" has no valid port");
            }
            seeds.add(RedisURI.create((tls ? "rediss://" : "redis://") + userInfo + node));
        }
        return seeds;
    }

    private RedisURI withCredentials(RedisURI parsed, Duration timeout) {
        if (password.isPresent()) {
            RedisURI.Builder builder = RedisURI.builder(parsed);
            if (user.isPresent()) {
                builder.withAuthentication(user.get(), password.get().toCharArray());
            } else {
                builder.withPassword(password.get().toCharArray());
            }
            parsed = builder.build();
        }
        parsed.setTimeout(timeout);
        return parsed;
    }

    /** {@code options} with TLS trust set from {@link #tlsCa()}, when given. */
    public <B extends ClientOptions.Builder> B withTls(B options) {
        tlsCa.ifPresent(ca -> options.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(ca.toFile())
                .build()));
        return options;
    }

    /** Where, as whom, with which TLS trust — never the password. */
    public String describe() {
        return Secrets.redact(uri) + user.map(u -> " as " + u).orElse("")
                + (password.isPresent() ? " (password set)" : "")
                + tlsCa.map(ca -> " trusting " + ca).orElse("");
    }

    @Override
    public String toString() {
        return describe();
    }
}
