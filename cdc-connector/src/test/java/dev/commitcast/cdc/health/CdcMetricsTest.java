package dev.commitcast.cdc.health;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class CdcMetricsTest {

    @Test
    void errorAndRetryCountersAreExportedAtZeroBeforeTheFirstOne() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CdcMetrics metrics = new CdcMetrics(registry, Clock.systemUTC(), "slot");
        for (String kind : CdcMetrics.ERROR_KINDS) {
            assertEquals(0, registry.get("commitcast.cdc.errors").tag("kind", kind).counter().count(), kind);
        }
        for (String dependency : CdcMetrics.STARTUP_DEPENDENCIES) {
            assertNotNull(registry.get("commitcast.cdc.startup.retries").tag("dependency", dependency).counter());
        }

        metrics.error("publish");
        metrics.startupRetry("kafka");
        assertEquals(1, registry.get("commitcast.cdc.errors").tag("kind", "publish").counter().count());
        assertEquals(1, registry.get("commitcast.cdc.startup.retries").tag("dependency", "kafka").counter().count());
        assertEquals(0, registry.get("commitcast.cdc.errors").tag("kind", "engine").counter().count());
    }
}
