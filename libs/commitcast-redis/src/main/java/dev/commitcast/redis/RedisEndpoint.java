package dev.commitcast.redis;

import dev.commitcast.core.Secrets;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How a Commitcast process reaches Redis: a {@code redis://} or {@code rediss://} (TLS) URI, an optional ACL user and
 * password, and optionally a CA certificate (PEM) to trust for TLS instead of the JVM's trust store. The password is
 * never part of {@link #toString()} or {@link #describe()}, nor of any message this class builds; a password written
 * into the URI's user info is accepted but masked the same way. Immutable.
 *
 * @param uri      {@code redis[s]://[[user]:password@]host[:port][/database]}
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
            parsed = RedisURI.create(uri);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(keyPrefix + ".uri = \"" + Secrets.redact(uri) + "\" is not a Redis URI"
                    + " (expected redis://host:port or rediss://host:port for TLS)", null);
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

    /** The Lettuce URI with the credentials and {@code timeout}. */
    public RedisURI redisUri(Duration timeout) {
        RedisURI parsed = RedisURI.create(uri);
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
    public ClientOptions.Builder withTls(ClientOptions.Builder options) {
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
