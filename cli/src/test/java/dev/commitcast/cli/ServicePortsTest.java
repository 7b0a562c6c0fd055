package dev.commitcast.cli;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A taken or doubly given service port stops {@code up} before anything starts, naming it and how to change it. */
class ServicePortsTest {

    @Test
    void aPortSomethingListensOnIsNamedWithItsOption() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            PlatformOptions options = options(List.of(PrometheusProcess.freePort(), port), PrometheusProcess.freePort(),
                    PrometheusProcess.freePort(), 0);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ServicePorts.requireFree(ServicePorts.of(options)));
            assertEquals("port " + port + " of api-service-2 is in use (choose another with --api-ports or "
                    + "COMMITCAST_API_PORTS). Another Commitcast platform may be running: ./commitcast status, with "
                    + "its COMMITCAST_HOME, shows it", e.getMessage());
        }
    }

    @Test
    void aPortGivenToTwoServicesIsNamed() {
        int port = PrometheusProcess.freePort();
        PlatformOptions options = options(List.of(PrometheusProcess.freePort()), port, port, 0);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ServicePorts.requireFree(ServicePorts.of(options)));
        assertEquals("port " + port + " is given to both cdc-connector and invalidator (choose another with "
                + "--invalidator-port or COMMITCAST_INVALIDATOR_PORT). Another Commitcast platform may be running: "
                + "./commitcast status, with its COMMITCAST_HOME, shows it", e.getMessage());
    }

    @Test
    void freePortsPass() {
        PlatformOptions options = options(List.of(PrometheusProcess.freePort()), PrometheusProcess.freePort(),
                PrometheusProcess.freePort(), PrometheusProcess.freePort());
        assertEquals(4, ServicePorts.of(options).size());
        assertDoesNotThrow(() -> ServicePorts.requireFree(ServicePorts.of(options)));
    }

    /** One invalidator, demo data; Prometheus on {@code prometheusPort} unless it is 0. */
    private static PlatformOptions options(List<Integer> apiPorts, int cdcPort, int invalidatorPort,
                                           int prometheusPort) {
        return new PlatformOptions(true, 1, 1, apiPorts, cdcPort, invalidatorPort, 1, prometheusPort != 0,
                prometheusPort);
    }
}
