package dev.commitcast.cli;

import java.util.List;

/**
 * What {@code up} starts besides the dev stack.
 *
 * @param invalidators   how many invalidator instances (one consumer group); the first on {@code invalidatorPort},
 *                       the others on free ports
 * @param withPrometheus whether to run Prometheus scraping every service
 * @param prometheusPort its port; 0 picks a free one
 */
record PlatformOptions(boolean demoData, int orgs, int usersPerOrg, List<Integer> apiPorts, int cdcPort,
                       int invalidatorPort, int invalidators, boolean withPrometheus, int prometheusPort) {
    /** More would only idle: the change topics have a few partitions each, one consumer per partition at most. */
    static final int MAX_INVALIDATORS = 16;

    PlatformOptions {
        if (invalidators < 1 || invalidators > MAX_INVALIDATORS) {
            throw new IllegalArgumentException("--invalidators: " + invalidators + " is not between 1 and "
                    + MAX_INVALIDATORS);
        }
        apiPorts = List.copyOf(apiPorts);
        for (int port : apiPorts) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("--api-ports: " + port + " is not a TCP port (1..65535)");
            }
        }
        if (prometheusPort < 0 || prometheusPort > 65_535) {
            throw new IllegalArgumentException("--prometheus-port: " + prometheusPort
                    + " is not a TCP port (1..65535, or 0 for a free one)");
        }
    }
}
