package dev.commitcast.cli;

import dev.commitcast.cli.platform.Endpoints;
import dev.commitcast.cli.platform.ServiceKind;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the services {@code up} started answer: derived once from the started processes, then written to the state
 * file (for {@code env}, {@code status} and the other commands), handed to the readiness waits and to Prometheus.
 *
 * @param cdc          the cdc-connector, null when it is not built
 * @param invalidators every invalidator of the consumer group, the first one first
 * @param apis         every api-service instance, in instance order
 */
record ServiceUrls(URI cdc, List<URI> invalidators, List<URI> apis) {
    ServiceUrls {
        invalidators = List.copyOf(invalidators);
        apis = List.copyOf(apis);
    }

    /** The services' URLs, by the module each was started from. */
    static ServiceUrls of(List<ServiceProcess> services) {
        List<URI> cdc = of(services, ServiceKind.CDC_CONNECTOR);
        return new ServiceUrls(cdc.isEmpty() ? null : cdc.getFirst(), of(services, ServiceKind.INVALIDATOR),
                of(services, ServiceKind.API_SERVICE));
    }

    private static List<URI> of(List<ServiceProcess> services, ServiceKind kind) {
        return services.stream().filter(s -> s.module().equals(kind.module())).map(ServiceProcess::baseUrl).toList();
    }

    /** Whether a row change can go all the way through: a connector, an invalidator and an api-service. */
    boolean wholePipeline() {
        return cdc != null && !invalidators.isEmpty() && !apis.isEmpty();
    }

    /** Adds the {@link Endpoints} keys of what is there; a list's first element is also its single-URL key. */
    void writeTo(Map<String, String> state) {
        if (cdc != null) {
            state.put(Endpoints.CDC, cdc.toString());
        }
        if (!invalidators.isEmpty()) {
            state.put(Endpoints.INVALIDATOR, invalidators.getFirst().toString());
            state.put(Endpoints.INVALIDATOR_URLS, join(invalidators));
        }
        if (!apis.isEmpty()) {
            state.put(Endpoints.API_URL, apis.getFirst().toString());
            state.put(Endpoints.API_URLS, join(apis));
        }
    }

    private static String join(List<URI> urls) {
        return urls.stream().map(URI::toString).collect(Collectors.joining(","));
    }
}
