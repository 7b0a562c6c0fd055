package dev.commitcast.cli.platform;

import picocli.CommandLine.Option;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/** {@code --api}, {@code --invalidator}, {@code --cdc}: the services' HTTP base URLs. */
public final class ServiceOptions {
    @Option(names = "--api", paramLabel = "URL", split = ",", converter = OptionConverters.HttpUrl.class,
            description = "api-service base URLs, comma-separated (default: the running platform's).")
    List<String> api;

    @Option(names = "--invalidator", paramLabel = "URL", split = ",", converter = OptionConverters.HttpUrl.class,
            description = "invalidator base URLs, comma-separated: every instance of the consumer group "
                    + "(default: the running platform's).")
    List<String> invalidator;

    @Option(names = "--cdc", paramLabel = "URL", converter = OptionConverters.HttpUrl.class,
            description = "cdc-connector base URL (default: the running platform's).")
    String cdc;

    public List<URI> apis(Endpoints endpoints) {
        return endpoints.apis(api);
    }

    public List<URI> invalidators(Endpoints endpoints) {
        return endpoints.invalidators(invalidator);
    }

    public Optional<URI> cdc(Endpoints endpoints) {
        return endpoints.service(cdc, Endpoints.CDC, "--cdc");
    }

    /** Whether any service URL was given by a flag. */
    public boolean anyGiven() {
        return (api != null && !api.isEmpty()) || (invalidator != null && !invalidator.isEmpty()) || cdc != null;
    }
}
