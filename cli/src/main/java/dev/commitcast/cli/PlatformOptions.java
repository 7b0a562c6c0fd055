package dev.commitcast.cli;

import java.util.List;

/**
 * What {@code up} starts besides the dev stack.
 *
 * @param withPrometheus whether to run Prometheus scraping every service
 * @param prometheusPort its port; 0 picks a free one
 */
record PlatformOptions(boolean demoData, int orgs, int usersPerOrg, List<Integer> apiPorts, int cdcPort,
                       int invalidatorPort, boolean withPrometheus, int prometheusPort) {
    PlatformOptions {
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
