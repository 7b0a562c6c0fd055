package dev.commitcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.cli.platform.Endpoints;
import dev.commitcast.cli.platform.ServiceKind;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ServiceUrlsTest {
    private static final URI CDC = URI.create("http://127.0.0.1:8090");
    private static final URI INV1 = URI.create("http://127.0.0.1:8091");
    private static final URI INV2 = URI.create("http://127.0.0.1:40001");
    private static final URI API1 = URI.create("http://127.0.0.1:8080");
    private static final URI API2 = URI.create("http://127.0.0.1:8081");

    /** What env, status and the other commands read back (Endpoints) is what up wrote. */
    @Test
    void theStateHoldsEachListAndItsFirstElement() {
        Map<String, String> state = new TreeMap<>();
        new ServiceUrls(CDC, List.of(INV1, INV2), List.of(API1, API2)).writeTo(state);
        assertEquals(Map.of(Endpoints.CDC, "http://127.0.0.1:8090",
                Endpoints.INVALIDATOR, "http://127.0.0.1:8091",
                Endpoints.INVALIDATOR_URLS, "http://127.0.0.1:8091,http://127.0.0.1:40001",
                Endpoints.API_URL, "http://127.0.0.1:8080",
                Endpoints.API_URLS, "http://127.0.0.1:8080,http://127.0.0.1:8081"), state);
        Endpoints endpoints = Endpoints.of(state);
        assertEquals(List.of(API1, API2), endpoints.apis(null));
        assertEquals(List.of(INV1, INV2), endpoints.invalidators(null));
    }

    /** A module that is not built is left out of the state, not written empty. */
    @Test
    void whatIsNotThereIsNotWritten() {
        Map<String, String> state = new TreeMap<>();
        ServiceUrls apisOnly = new ServiceUrls(null, List.of(), List.of(API1));
        apisOnly.writeTo(state);
        assertEquals(Map.of(Endpoints.API_URL, API1.toString(), Endpoints.API_URLS, API1.toString()), state);
        assertFalse(apisOnly.wholePipeline());
        assertFalse(new ServiceUrls(CDC, List.of(INV1), List.of()).wholePipeline());
        assertTrue(new ServiceUrls(CDC, List.of(INV1), List.of(API1)).wholePipeline());
    }

    /** The names up gives its services, which status and the watchdog's state keys use too. */
    @Test
    void instanceNames() {
        assertEquals("cdc-connector", ServiceKind.CDC_CONNECTOR.instanceName(1));
        assertEquals("invalidator", ServiceKind.INVALIDATOR.instanceName(1));
        assertEquals("invalidator-2", ServiceKind.INVALIDATOR.instanceName(2));
        assertEquals("api-service-1", ServiceKind.API_SERVICE.instanceName(1));
        assertThrows(IllegalArgumentException.class, () -> ServiceKind.API_SERVICE.instanceName(0));
    }
}
