package dev.commitcast.cli;

import dev.commitcast.cli.platform.ServiceKind;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The fixed ports {@code up} gives its services, checked before anything starts: a port another process holds (most
 * often another platform's service, from an {@code up} in another {@code COMMITCAST_HOME}) would make the new service
 * fail to bind while its health check, answered by the other process, reported it ready.
 */
final class ServicePorts {
    private static final int CONNECT_TIMEOUT_MILLIS = 200;

    /** One service's port and the option and environment variable that choose it. */
    record Wanted(String service, int port, String option) {
    }

    private ServicePorts() {
    }

    /** The ports {@code options} fixes: each api-service, the cdc-connector, the first invalidator, Prometheus. */
    static List<Wanted> of(PlatformOptions options) {
        List<Wanted> wanted = new ArrayList<>();
        int instance = 0;
        for (int port : options.apiPorts()) {
            wanted.add(new Wanted(ServiceKind.API_SERVICE.instanceName(++instance), port,
                    "--api-ports or COMMITCAST_API_PORTS"));
        }
        wanted.add(new Wanted(ServiceKind.CDC_CONNECTOR.instanceName(1), options.cdcPort(),
                "--cdc-port or COMMITCAST_CDC_PORT"));
        wanted.add(new Wanted(ServiceKind.INVALIDATOR.instanceName(1), options.invalidatorPort(),
                "--invalidator-port or COMMITCAST_INVALIDATOR_PORT"));
        if (options.withPrometheus() && options.prometheusPort() != 0) {
            wanted.add(new Wanted("prometheus", options.prometheusPort(),
                    "--prometheus-port or COMMITCAST_PROMETHEUS_PORT"));
        }
        return wanted;
    }

    /** @throws IllegalStateException naming every port that is in use or given twice, and how to choose another */
    static void requireFree(List<Wanted> wanted) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < wanted.size(); i++) {
            Wanted w = wanted.get(i);
            for (Wanted earlier : wanted.subList(0, i)) {
                if (earlier.port() == w.port()) {
                    problems.add("port " + w.port() + " is given to both " + earlier.service() + " and "
                            + w.service() + " (choose another with " + w.option() + ")");
                }
            }
            if (inUse(w.port())) {
                problems.add("port " + w.port() + " of " + w.service() + " is in use (choose another with "
                        + w.option() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(problems.stream().collect(Collectors.joining("; "))
                    + ". Another Commitcast platform may be running: ./commitcast status, with its COMMITCAST_HOME,"
                    + " shows it");
        }
    }

    /** Whether something answers on the loopback port, or the port cannot be bound on every interface. */
    static boolean inUse(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException nothingListens) {
            // expected: now try to take it the way a service does
        }
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
