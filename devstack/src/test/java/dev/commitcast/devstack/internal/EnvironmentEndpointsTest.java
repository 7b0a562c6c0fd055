package dev.commitcast.devstack.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EnvironmentEndpointsTest {

    @Test
    void parsesAPostgresUriWithAnEncodedPassword() {
        JdbcPostgresEndpoint pg = EnvironmentEndpoints.postgres("postgresql://app:p%40ss%3Aw+rd@db.local:6543/orders");
        assertEquals("db.local", pg.host());
        assertEquals(6543, pg.port());
        assertEquals("app", pg.user());
        assertEquals("p@ss:w+rd", pg.password());
        assertEquals("orders", pg.database());
        assertEquals("jdbc:postgresql://db.local:6543/orders", pg.jdbcUrl("orders"));
        assertEquals("postgresql://app:p%40ss%3Aw%2Brd@db.local:6543/other", pg.uri("other"));
    }

    @Test
    void postgresPortDefaultsTo5432() {
        assertEquals(5432, EnvironmentEndpoints.postgres("postgres://a:b@h/db").port());
    }

    @Test
    void badPostgresUriNamesTheVariableAndHidesThePassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EnvironmentEndpoints.postgres("mysql://app:secret@h:1/db"));
        assertTrue(e.getMessage().startsWith("COMMITCAST_PG_URL="), e.getMessage());
        assertTrue(e.getMessage().contains("postgresql://"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EnvironmentEndpoints.postgres("postgresql://h:1/db"));
        assertThrows(IllegalArgumentException.class, () -> EnvironmentEndpoints.postgres("postgresql://a:b@h:1/"));
    }

    @Test
    void parsesRedisAndKafka() {
        assertEquals(new EnvironmentEndpoints.HostPort("r", 6390), EnvironmentEndpoints.redis("redis://r:6390"));
        assertEquals(6379, EnvironmentEndpoints.redis("redis://r").port());
        assertEquals("a:9092,b:9093", EnvironmentEndpoints.kafka(" a:9092 , b:9093 "));
        IllegalArgumentException redis = assertThrows(IllegalArgumentException.class,
                () -> EnvironmentEndpoints.redis("localhost:6379"));
        assertTrue(redis.getMessage().startsWith("COMMITCAST_REDIS_URL=localhost:6379 is invalid"), redis.getMessage());
        IllegalArgumentException kafka = assertThrows(IllegalArgumentException.class,
                () -> EnvironmentEndpoints.kafka("PLAINTEXT://a:9092"));
        assertTrue(kafka.getMessage().startsWith("COMMITCAST_KAFKA_BOOTSTRAP="), kafka.getMessage());
    }
}
