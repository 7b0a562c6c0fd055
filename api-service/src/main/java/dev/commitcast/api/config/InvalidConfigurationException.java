package dev.commitcast.api.config;

/**
 * A configuration value the service cannot work with. Permanent: the service refuses to start, and the message
 * names the property key, the rejected value and the rule it broke.
 */
public final class InvalidConfigurationException extends IllegalArgumentException {

    private final String key;

    /** Creates the exception for one property. */
    public InvalidConfigurationException(String key, Object value, String rule) {
        super("invalid configuration " + key + "=" + value + ": " + rule);
        this.key = key;
    }

    /** Creates the exception for one property, keeping the underlying validation failure. */
    public InvalidConfigurationException(String key, Object value, String rule, Throwable cause) {
        super("invalid configuration " + key + "=" + value + ": " + rule, cause);
        this.key = key;
    }

    /** Creates the exception from a message that already names the key (and never shows a secret). */
    public static InvalidConfigurationException described(String key, String message) {
        return new InvalidConfigurationException(key, message);
    }

    private InvalidConfigurationException(String key, String message) {
        super("invalid configuration " + message);
        this.key = key;
    }

    /** Returns the offending property key, e.g. {@code commitcast.redis.command-timeout}. */
    public String key() {
        return key;
    }
}
