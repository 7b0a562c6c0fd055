package dev.commitcast.cli.platform;

import picocli.CommandLine.Option;

/** {@code --redis} and {@code --key-space}: which Redis and which key space a command acts on. */
public final class RedisOptions {
    @Option(names = "--redis", paramLabel = "URI", converter = OptionConverters.RedisUri.class,
            description = "Redis, redis://host:port (default: the running platform's).")
    String redis;

    @Option(names = "--key-space", paramLabel = "PREFIX", converter = OptionConverters.KeySpaceName.class,
            description = "Key space prefix of the cache keys (default: the rules file's).")
    String keySpace;

    /** The Redis URI from the flag or the running platform; fails with a clear message when neither is there. */
    public String redisUri(Endpoints endpoints) {
        return endpoints.required(redis, Endpoints.REDIS, "--redis redis://host:port");
    }

    /** The Redis URI from the flag or the running platform, or {@code null} when neither is there. */
    public String redisUriIfKnown(Endpoints endpoints) {
        return endpoints.optional(redis, Endpoints.REDIS).orElse(null);
    }

    /** Whether {@code --redis} was given. */
    public boolean given() {
        return redis != null;
    }

    /** The {@code --key-space} override, or null for the rules file's prefix. */
    public String keySpace() {
        return keySpace;
    }
}
