package dev.commitcast.cli.platform;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionConvertersTest {

    @Test
    void humanDurations() {
        assertEquals(Duration.ofSeconds(2), OptionConverters.HumanDuration.parse("2s"));
        assertEquals(Duration.ofMillis(500), OptionConverters.HumanDuration.parse("500ms"));
        assertEquals(Duration.ofSeconds(90), OptionConverters.HumanDuration.parse("1m30s"));
        assertEquals(Duration.ofHours(1), OptionConverters.HumanDuration.parse("1h"));
        assertEquals(Duration.ofSeconds(2), OptionConverters.HumanDuration.parse("PT2S"));
        for (String bad : List.of("", "2", "s", "2x", "1s2", "0s", "-1s", "PTX")) {
            assertThrows(TypeConversionException.class, () -> OptionConverters.HumanDuration.parse(bad), bad);
        }
    }

    @Test
    void isoTimes() {
        OptionConverters.IsoInstant converter = new OptionConverters.IsoInstant();
        assertEquals(Instant.parse("2026-05-01T12:00:00Z"), converter.convert("2026-05-01T12:00:00Z"));
        assertEquals(Instant.parse("2026-05-01T12:00:00Z"), converter.convert("2026-05-01T14:00:00+02:00"));
        assertEquals(Instant.parse("2026-05-01T12:00:00Z"), converter.convert("2026-05-01T12:00Z"));
        assertThrows(TypeConversionException.class, () -> converter.convert("2026-05-01"));
    }

    @Test
    void endpointsPreferFlagsThenThePlatformThenFailClearly() {
        Endpoints none = Endpoints.of(null);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> none.required(null, Endpoints.REDIS, "--redis redis://host:port"));
        assertEquals("no running platform: ./commitcast up --detach (or pass --redis redis://host:port)",
                e.getMessage());
        assertEquals("redis://flag:1", none.required("redis://flag:1", Endpoints.REDIS, "--redis"));

        Endpoints platform = Endpoints.of(Map.of(Endpoints.REDIS, "redis://state:2",
                Endpoints.API_URLS, "http://127.0.0.1:8080,http://127.0.0.1:8081"));
        assertTrue(platform.platformRunning());
        assertEquals("redis://state:2", platform.required(null, Endpoints.REDIS, "--redis"));
        assertEquals(2, platform.apis(null).size());
        assertEquals(List.of(java.net.URI.create("http://h:1")), platform.apis(List.of("http://h:1")));
        assertFalse(platform.service(null, Endpoints.CDC, "--cdc").isPresent());
        assertTrue(assertThrows(IllegalStateException.class, () -> platform.required(null, Endpoints.KAFKA,
                "--kafka host:port")).getMessage().startsWith("the running platform has no COMMITCAST_KAFKA_BOOTSTRAP"));
    }
}
