package dev.commitcast.api.config;

import dev.commitcast.keys.KeyKind;
import dev.commitcast.keys.TtlPolicy;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommitcastConfigTest {

    @Test
    void anEmptySectionTakesEveryDefault() {
        CommitcastConfig config = CommitcastConfig.defaults();
        assertEquals("cc", config.keySpace());
        assertEquals(CommitcastConfig.RedisConfig.DEFAULT_COMMAND_TIMEOUT, config.redis().commandTimeout());
        assertEquals(CommitcastConfig.CacheConfig.L1Config.DEFAULT_MAX_WEIGHT, config.cache().l1().maxWeight());
        assertEquals(CommitcastConfig.HttpConfig.DEFAULT_MAX_PAGE_SIZE, config.http().maxPageSize());
        assertTrue(config.staleness().enabled());
        assertEquals(TtlPolicy.defaults().toString(), SharedKeysFactory.ttlPolicy(config).toString());
    }

    @Test
    void invalidValuesNameTheKeyAndTheValue() {
        InvalidConfigurationException timeout = assertThrows(InvalidConfigurationException.class,
                () -> new CommitcastConfig.RedisConfig(null, Duration.ZERO, null, null, null, null, null));
        assertEquals("commitcast.redis.command-timeout", timeout.key());
        assertTrue(timeout.getMessage().contains("commitcast.redis.command-timeout=PT0S"), timeout.getMessage());

        InvalidConfigurationException space = assertThrows(InvalidConfigurationException.class,
                () -> new CommitcastConfig("Bad Space", null, null, null, null, null));
        assertTrue(space.getMessage().startsWith("invalid configuration commitcast.key-space=Bad Space"));

        InvalidConfigurationException page = assertThrows(InvalidConfigurationException.class,
                () -> new CommitcastConfig.HttpConfig(200, 100, null));
        assertEquals("commitcast.http.default-page-size", page.key());
    }

    @Test
    void ttlSettingsBuildTheTtlPolicyAndBadOnesNameTheirKey() {
        CommitcastConfig.CacheConfig.TtlConfig ttl = new CommitcastConfig.CacheConfig.TtlConfig(null, null, null,
                Duration.ofSeconds(7), null, null, null, Duration.ofSeconds(5));
        TtlPolicy policy = SharedKeysFactory.ttlPolicy(new CommitcastConfig(null,
                new CommitcastConfig.CacheConfig(null, null, null, null, ttl), null, null, null, null));
        assertEquals(Duration.ofSeconds(7), policy.baseL2Ttl(KeyKind.USER));
        assertEquals(Duration.ofSeconds(5), policy.l1Ttl(KeyKind.USER));
        CommitcastConfig.CacheConfig.TtlConfig jitter = new CommitcastConfig.CacheConfig.TtlConfig(null, null, null,
                null, null, null, 0.9, null);
        CommitcastConfig config = new CommitcastConfig(null,
                new CommitcastConfig.CacheConfig(null, null, null, null, jitter), null, null, null, null);
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> SharedKeysFactory.ttlPolicy(config));
        assertEquals("commitcast.cache.ttl.jitter", e.key());
    }

    @Test
    void aContextWithAnInvalidValueRefusesToStart() {
        Exception e = assertThrows(Exception.class, () -> ApplicationContext.builder()
                .properties(Map.of("commitcast.http.max-page-size", "0"))
                .eagerInitConfiguration(true).start());
        assertTrue(e.getMessage().contains("commitcast.http.max-page-size=0"), e.getMessage());
    }
}
