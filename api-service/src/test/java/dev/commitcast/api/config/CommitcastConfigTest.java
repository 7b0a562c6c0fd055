package dev.commitcast.api.config;

import dev.commitcast.keys.KeyKind;
import dev.commitcast.keys.TtlPolicy;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommitcastConfigTest {

    /**
     * The documented defaults (README, module docs, the constants' Javadoc), stated here as literals: a changed
     * default fails this test until the documentation is changed with it.
     */
    @Test
    void anEmptySectionTakesEveryDocumentedDefault() {
        CommitcastConfig config = CommitcastConfig.defaults();
        assertEquals("cc", config.keySpace());

        assertEquals("redis://127.0.0.1:6379", config.redis().uri());
        assertEquals(Duration.ofMillis(50), config.redis().commandTimeout());
        assertEquals(Duration.ofSeconds(1), config.redis().connectTimeout());
        assertEquals(10_000, config.redis().requestQueueSize());
        assertEquals(Duration.ofSeconds(1), config.redis().reconnectDelayMax());
        assertEquals(5, config.redis().breakerFailureThreshold());
        assertEquals(Duration.ofSeconds(1), config.redis().breakerCoolDown());

        assertEquals(10, config.db().threads());
        assertEquals(1_000, config.db().queueCapacity());
        assertEquals(Duration.ofSeconds(5), config.db().queryTimeout());

        assertEquals(50, config.http().defaultPageSize());
        assertEquals(100, config.http().maxPageSize());
        assertEquals(Duration.ofSeconds(1), config.http().clientMaxAge());

        assertTrue(config.staleness().enabled());
        assertEquals(Duration.ofSeconds(5), config.staleness().budget());

        assertTrue(config.cache().enabled());
        assertTrue(config.cache().l1().enabled());
        assertEquals(64L * 1024 * 1024, config.cache().l1().maxWeight());
        assertTrue(config.cache().l2().enabled());
        assertEquals(Duration.ofSeconds(2), config.cache().l2().leaseTtl());
        assertEquals(0, config.cache().warm().orgs());
        assertEquals(List.of(), config.cache().warm().keys());

        TtlPolicy ttl = SharedKeysFactory.ttlPolicy(config);
        assertEquals(Duration.ofSeconds(300), ttl.baseL2Ttl(KeyKind.SETTINGS));
        assertEquals(Duration.ofSeconds(600), ttl.baseL2Ttl(KeyKind.ROLES));
        assertEquals(Duration.ofSeconds(900), ttl.baseL2Ttl(KeyKind.ROLE_PERMISSIONS));
        assertEquals(Duration.ofSeconds(15), ttl.baseL2Ttl(KeyKind.USER));
        assertEquals(Duration.ofSeconds(60), ttl.baseL2Ttl(KeyKind.USER_LIST));
        assertEquals(Duration.ofSeconds(5), ttl.baseNegativeTtl());
        assertEquals(0.1, ttl.jitter());
        assertEquals(Duration.ofSeconds(60), ttl.l1MaxTtl());
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
