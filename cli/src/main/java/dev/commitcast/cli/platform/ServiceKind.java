package dev.commitcast.cli.platform;

/**
 * The platform's three kinds of service: the module each is built in and started from, and how {@code up},
 * {@code status} and the logs name its instances. The cli's one list of them.
 */
public enum ServiceKind {
    CDC_CONNECTOR("cdc-connector", "dev.commitcast.cdc.Application"),
    INVALIDATOR("invalidator", "dev.commitcast.invalidator.Application"),
    API_SERVICE("api-service", "dev.commitcast.api.Application");

    private final String module;
    private final String mainClass;

    ServiceKind(String module, String mainClass) {
        this.module = module;
        this.mainClass = mainClass;
    }

    /** The Maven module (and directory): {@code cdc-connector}, {@code invalidator}, {@code api-service}. */
    public String module() {
        return module;
    }

    /** The class whose {@code main} starts the service. */
    public String mainClass() {
        return mainClass;
    }

    /**
     * Instance {@code n}'s name (from 1): {@code cdc-connector} (there is one), {@code invalidator},
     * {@code invalidator-2}, ... (the first keeps the plain name), {@code api-service-1}, {@code api-service-2}, ...
     */
    public String instanceName(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("instances count from 1, got " + n);
        }
        return switch (this) {
            case CDC_CONNECTOR -> module;
            case INVALIDATOR -> n == 1 ? module : module + "-" + n;
            case API_SERVICE -> module + "-" + n;
        };
    }
}
