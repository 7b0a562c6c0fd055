package dev.commitcast.api.config;

import dev.commitcast.core.RulesException;
import dev.commitcast.testsupport.Repo;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommitcastConfigTest {

    /**
     * The documented defaults (README, module docs, the constants' Javadoc), stated here as literals: a changed
     * default fails this test until the documentation is changed with it. TTLs live in the rules file
     * (commitcast-core's DemoRulesTest checks the demo's).
     */
    @Test
    void anEmptySectionTakesEveryDocumentedDefault() {
        CommitcastConfig config = CommitcastConfig.defaults();
        assertEquals("", config.rules(), "no default rules file: it must be given");
        assertEquals("", config.keySpace(), "the rules file's prefix");

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
        assertEquals(Duration.ofSeconds(60), config.cache().l1().maxTtl());
        assertTrue(config.cache().l2().enabled());
        assertEquals(Duration.ofSeconds(2), config.cache().l2().leaseTtl());
        assertEquals(Duration.ofMillis(100), config.cache().readYourWritesWait(), "read-your-writes wait: 100 ms");
        assertFalse(config.cache().bustOnWrite(), "bust on write is a baseline for benchmarks, off");
        assertEquals(0, config.cache().warm().orgs());
        assertEquals(List.of(), config.cache().warm().keys());
    }

    @Test
    void invalidValuesNameTheKeyAndTheValue() {
        InvalidConfigurationException timeout = assertThrows(InvalidConfigurationException.class,
                () -> new CommitcastConfig.RedisConfig(null, null, null, null, Duration.ZERO, null, null, null, null, null));
        assertEquals("commitcast.redis.command-timeout", timeout.key());
        assertTrue(timeout.getMessage().contains("commitcast.redis.command-timeout=PT0S"), timeout.getMessage());

        InvalidConfigurationException space = assertThrows(InvalidConfigurationException.class,
                () -> new CommitcastConfig(null, "Bad Space", null, null, null, null, null));
        assertTrue(space.getMessage().startsWith("invalid configuration commitcast.key-space=Bad Space"));

        InvalidConfigurationException page = assertThrows(InvalidConfigurationException.class,
                () -> new CommitcastConfig.HttpConfig(200, 100, null));
        assertEquals("commitcast.http.default-page-size", page.key());

        InvalidConfigurationException l1 = assertThrows(InvalidConfigurationException.class,
                () -> new CommitcastConfig.CacheConfig.L1Config(null, null, Duration.ZERO));
        assertEquals("commitcast.cache.l1.max-ttl", l1.key());
    }

    @Test
    void theRulesComeFromTheFileInTheConfiguredKeySpace() {
        CommitcastConfig config = new CommitcastConfig(Repo.demoRulesFile().toString(), "it-7", null, null, null,
                null, null);
        assertEquals("it-7:v1:", config.loadRules().keySpace().keyPrefix());
        assertEquals(Repo.demoRules().fingerprint(), config.loadRules().fingerprint());
        InvalidConfigurationException missing = assertThrows(InvalidConfigurationException.class,
                () -> CommitcastConfig.defaults().loadRules());
        assertEquals("commitcast.rules", missing.key());
    }

    @Test
    void aContextWithAnInvalidValueRefusesToStart() {
        Exception e = assertThrows(Exception.class, () -> ApplicationContext.builder()
                .properties(Map.of("commitcast.http.max-page-size", "0"))
                .eagerInitConfiguration(true).start());
        assertTrue(e.getMessage().contains("commitcast.http.max-page-size=0"), e.getMessage());
    }

    @Test
    void aContextWithAnInvalidRulesFileRefusesToStartNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.yml"), """
                keyspace: { prefix: cc, version: 1 }
                kinds:
                  user: { key: "user:{id}", parts: { id: bigint }, ttl: 0s }
                tables:
                  public.users: { invalidate: [ { kind: user, bind: { id: id } } ] }
                """);
        Exception e = assertThrows(Exception.class, () -> ApplicationContext.builder()
                .properties(Map.of("commitcast.rules", rules.toString())).start());
        Throwable cause = e;
        while (cause != null && !(cause instanceof RulesException)) {
            cause = cause.getCause();
        }
        assertTrue(cause != null && cause.getMessage().contains(rules + ":3: kinds.user.ttl: must be positive"),
                String.valueOf(e));
    }
}
