package dev.commitcast.cli;

import java.util.List;

/** What {@code up} starts besides the dev stack. */
record PlatformOptions(boolean demoData, int orgs, int usersPerOrg, List<Integer> apiPorts, int cdcPort,
                       int invalidatorPort) {
    PlatformOptions {
        apiPorts = List.copyOf(apiPorts);
        for (int port : apiPorts) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("--api-ports: " + port + " is not a TCP port (1..65535)");
            }
        }
    }
}
