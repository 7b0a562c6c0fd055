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

    @Test
    void aClusterUriNamesEverySeedWithTheCredentialsAndTls() {
        RedisEndpoint endpoint = new RedisEndpoint("rediss-cluster://a:7000, b:7001,10.0.0.3:7002", Optional.of("api"),
                Optional.of("hunter2"), Optional.empty()).validate("commitcast.redis");
        assertTrue(endpoint.cluster());
        var uris = endpoint.redisUris(Duration.ofSeconds(1));
        assertEquals(3, uris.size());
        assertEquals("b", uris.get(1).getHost());
        assertEquals(7002, uris.get(2).getPort());
        for (var uri : uris) {
            assertTrue(uri.isSsl(), uri.toString());
            assertEquals("api", uri.getUsername());
            assertEquals("hunter2", new String(uri.getPassword()));
        }
        assertFalse(RedisEndpoint.of("redis://a:6379").cluster());
        assertEquals("x", new String(RedisEndpoint.of("redis-cluster://u:x@a:1,b:2").redisUris(Duration.ofSeconds(1))
                .get(1).getPassword()), "user info applies to every seed");
    }

    @Test
    void aBadClusterUriSaysWhatIsWrongWithoutThePassword() {
        for (String[] bad : new String[][] {
                {"redis-cluster://u:hunter2@a", "seed node \"a\" is not host:port"},
                {"redis-cluster://a:1,,b:2", "seed node \"\" is not host:port"},
                {"redis-cluster://a:99999", "seed node \"a:99999\" has no valid port"},
                {"redis-cluster://a:1/0", "a cluster has no database number"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RedisEndpoint.of(bad[0]).validate("commitcast.redis"));
            assertTrue(e.getMessage().startsWith("commitcast.redis.uri = \"") && e.getMessage().contains(bad[1]),
                    e.getMessage());
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        }
    }
}
