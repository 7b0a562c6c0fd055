package dev.commitcast.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CdcSettingsTest {
    private static Map<String, String> minimal() {
        Map<String, String> m = new HashMap<>();
        m.put("commitcast.cdc.jdbc-url", "jdbc:postgresql://db.internal:6543/app?sslmode=require");
        m.put("commitcast.cdc.user", "cdc");
        m.put("commitcast.cdc.password", "s3cret");
        m.put("kafka-bootstrap", "k1:9092,k2:9092");
        m.put("rules", "examples/orgs-demo/rules.yml");
        return m;
    }

    @Test
    void defaultsAreTheDocumentedConstants() {
        CdcSettings s = CdcSettings.fromMap(minimal());
        assertEquals("commitcast", s.topicPrefix());
        assertEquals(3, s.partitions());
        assertEquals("commitcast_slot", s.slotName());
        assertEquals("commitcast_pub", s.publication());
        assertEquals(Duration.ofMillis(5), s.pollInterval());
        assertEquals(Duration.ofSeconds(1), s.heartbeatInterval());
        assertEquals(CdcSettings.OffsetStore.FILE, s.offsetStore());
        assertEquals(Path.of(".commitcast", "cdc", "offsets-commitcast_slot.dat"), s.offsetFile());
        assertEquals("commitcast.public.users", s.changeTopic("public", "users"));
        assertEquals("db.internal", s.postgres().host());
        assertEquals(6543, s.postgres().port());
        assertEquals("app", s.postgres().database());
        assertEquals("require", s.postgres().parameters().get("sslmode"));
    }

    @Test
    void durationsAcceptMicronautFormsIsoAndBareMilliseconds() {
        Map<String, String> m = minimal();
        m.put("poll-interval", "25ms");
        m.put("heartbeat-interval", "PT2S");
        m.put("offset-flush-interval", "500");
        m.put("startup-timeout", "2m");
        CdcSettings s = CdcSettings.fromMap(m);
        assertEquals(Duration.ofMillis(25), s.pollInterval());
        assertEquals(Duration.ofSeconds(2), s.heartbeatInterval());
        assertEquals(Duration.ofMillis(500), s.offsetFlushInterval());
        assertEquals(Duration.ofMinutes(2), s.startupTimeout());
    }

    @Test
    void anInvalidValueIsRejectedNamingKeyValueAndExpectation() {
        Map<String, String> m = minimal();
        m.put("partitions", "0");
        assertEquals("Invalid commitcast.cdc.partitions = 0: expected 1..10000",
                assertThrows(IllegalArgumentException.class, () -> CdcSettings.fromMap(m)).getMessage());
        m.put("partitions", "three");
        assertEquals("Invalid commitcast.cdc.partitions = \"three\": expected an integer",
                assertThrows(IllegalArgumentException.class, () -> CdcSettings.fromMap(m)).getMessage());
    }

    @Test
    void aBadJdbcUrlNamesItsEnvironmentVariable() {
        Map<String, String> m = minimal();
        m.put("commitcast.cdc.jdbc-url", "postgresql://db/app");
        String message = assertThrows(IllegalArgumentException.class, () -> CdcSettings.fromMap(m)).getMessage();
        assertEquals("Invalid commitcast.cdc.jdbc-url (env COMMITCAST_PG_JDBC_URL) = \"postgresql://db/app\": "
                + "expected jdbc:postgresql://host[:port]/database", message);
    }

    @Test
    void aMissingUserNamesItsEnvironmentVariable() {
        Map<String, String> m = minimal();
        m.remove("commitcast.cdc.user");
        String message = assertThrows(IllegalArgumentException.class, () -> CdcSettings.fromMap(m)).getMessage();
        assertTrue(message.startsWith("Invalid commitcast.cdc.user = null"), message);
        assertTrue(message.contains("COMMITCAST_PG_USER"), message);
    }

    @Test
    void tooShortAPollIntervalIsRejectedWithItsBounds() {
        Map<String, String> m = minimal();
        m.put("heartbeat-interval", "10ms");
        assertEquals("Invalid commitcast.cdc.heartbeat-interval = \"10ms\": expected between 100ms and 600s",
                assertThrows(IllegalArgumentException.class, () -> CdcSettings.fromMap(m)).getMessage());
    }

    @Test
    void unknownKeysAreRejectedSoTyposDoNotSilentlyFallBackToDefaults() {
        Map<String, String> m = minimal();
        m.put("commitcast.cdc.pol-interval", "5ms");
        String message = assertThrows(IllegalArgumentException.class, () -> CdcSettings.fromMap(m)).getMessage();
        assertTrue(message.startsWith("Unknown configuration key(s) [commitcast.cdc.pol-interval]"), message);
    }

    @Test
    void aBadKafkaBootstrapAndOffsetStoreAreNamed() {
        Map<String, String> m = minimal();
        m.put("kafka-bootstrap", "localhost");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CdcSettings.fromMap(m)).getMessage()
                .startsWith("Invalid commitcast.cdc.kafka-bootstrap = \"localhost\""));
        m.put("kafka-bootstrap", "localhost:9092");
        m.put("offset-store", "redis");
        assertEquals("Invalid commitcast.cdc.offset-store = \"redis\": expected file or kafka",
                assertThrows(IllegalArgumentException.class, () -> CdcSettings.fromMap(m)).getMessage());
    }

    @Test
    void aKeyGivenWithAndWithoutPrefixIsAmbiguous() {
        Map<String, String> m = minimal();
        m.put("user", "other");
        assertEquals("commitcast.cdc.user is given twice, with and without the commitcast.cdc. prefix",
                assertThrows(IllegalArgumentException.class, () -> CdcSettings.fromMap(m)).getMessage());
    }

    @Test
    void toStringNeverShowsThePassword() {
        String text = CdcSettings.fromMap(minimal()).toString();
        assertFalse(text.contains("s3cret"), text);
        assertTrue(text.contains("password=****"));
    }
}
