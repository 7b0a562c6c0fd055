package dev.commitcast.devstack;

/** The servers a {@link DevStack} can provide. */
public enum ServerKind {
    POSTGRES("Postgres"),
    REDIS("Redis"),
    KAFKA("Kafka");

    private final String displayName;

    ServerKind(String displayName) {
        this.displayName = displayName;
    }

    /** Human-readable name used in log lines and error messages. */
    public String displayName() {
        return displayName;
    }
}
