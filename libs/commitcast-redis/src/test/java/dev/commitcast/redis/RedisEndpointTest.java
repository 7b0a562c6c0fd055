package dev.commitcast.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisEndpointTest {

    @Test
    void credentialsGoIntoTheLettuceUriButNeverIntoADescription() {
        RedisEndpoint endpoint = new RedisEndpoint("redis://cache:6379", Optional.of("api"), Optional.of("hunter2"),
                Optional.empty());
        assertEquals("api", endpoint.redisUri(Duration.ofSeconds(1)).getUsername());
        assertEquals("hunter2", new String(endpoint.redisUri(Duration.ofSeconds(1)).getPassword()));
        assertEquals("redis://cache:6379 as api (password set)", endpoint.describe());
        assertEquals(endpoint.describe(), endpoint.toString());
    }

    @Test
    void aPasswordInTheUriIsMaskedToo() {
        RedisEndpoint endpoint = RedisEndpoint.of("rediss://api:hunter2@cache:6380");
        assertFalse(endpoint.describe().contains("hunter2"), endpoint.describe());
        assertEquals("hunter2", new String(endpoint.redisUri(Duration.ofSeconds(1)).getPassword()));
    }

    @Test
    void invalidSettingsNameTheKeyAndNeverThePassword() {
        IllegalArgumentException noTls = assertThrows(IllegalArgumentException.class, () -> new RedisEndpoint(
                "redis://u:hunter2@cache:6379", Optional.empty(), Optional.empty(), Optional.of(Path.of("/ca.pem")))
                .validate("commitcast.redis"));
        assertTrue(noTls.getMessage().startsWith("commitcast.redis.tls-ca-file is set but commitcast.redis.uri"),
                noTls.getMessage());
        assertFalse(noTls.getMessage().contains("hunter2"));
        IllegalArgumentException noPassword = assertThrows(IllegalArgumentException.class, () -> new RedisEndpoint(
                "redis://cache:6379", Optional.of("api"), Optional.empty(), Optional.empty()).validate("commitcast.redis"));
        assertTrue(noPassword.getMessage().contains("commitcast.redis.user = api has no password"),
                noPassword.getMessage());
        IllegalArgumentException noCa = assertThrows(IllegalArgumentException.class, () -> new RedisEndpoint(
                "rediss://cache:6379", Optional.empty(), Optional.empty(), Optional.of(Path.of("/nope/ca.pem")))
                .validate("commitcast.redis"));
        assertTrue(noCa.getMessage().contains("commitcast.redis.tls-ca-file = /nope/ca.pem: not a readable file"),
                noCa.getMessage());
    }
}
