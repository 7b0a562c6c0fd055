package dev.commitcast.api.platform;

import dev.commitcast.api.config.CommitcastConfig;
import dev.commitcast.api.data.DatabaseExecutorFactory;
import dev.commitcast.api.http.CachedValue;
import dev.commitcast.api.http.CachedValueCodec;
import dev.commitcast.client.CommitcastClient;
import dev.commitcast.client.FillHooks;
import dev.commitcast.client.MicrometerStatsCounter;
import dev.commitcast.client.TieredCache;
import dev.commitcast.core.KeyKind;
import dev.commitcast.core.Rules;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.concurrent.ExecutorService;

/**
 * Builds this service's {@link CommitcastClient} from {@code commitcast.*} (created at start-up, so it connects to
 * Redis and subscribes to the eviction broadcast before the first request), and the one {@link TieredCache} of the
 * demo's answers, serving every kind of the rules with {@link CachedValueCodec}; loads run on the {@code database}
 * executor.
 */
@Factory
public class CacheClientFactory {

    /** Returns the stats counter, so status pages and tests can read the counts. */
    @Singleton
    MicrometerStatsCounter statsCounter(MeterRegistry registry, Rules rules) {
        return new MicrometerStatsCounter(registry, rules);
    }

    /** Returns the client; closed with the context. */
    @Context
    @Bean(preDestroy = "close")
    CommitcastClient client(CommitcastConfig config, Rules rules, MeterRegistry registry,
                            MicrometerStatsCounter stats, Clock clock, FillHooks hooks,
                            @Named(DatabaseExecutorFactory.NAME) ExecutorService database) {
        CommitcastConfig.RedisConfig redis = config.redis();
        CommitcastConfig.CacheConfig cache = config.cache();
        return CommitcastClient.newBuilder(rules)
                .redis(redis.endpoint())
                .commandTimeout(redis.commandTimeout())
                .connectTimeout(redis.connectTimeout())
                .requestQueueSize(redis.requestQueueSize())
                .reconnectDelayMax(redis.reconnectDelayMax())
                .circuitBreaker(redis.breakerFailureThreshold(), redis.breakerCoolDown())
                .enabled(cache.enabled())
                .l1(cache.l1().enabled())
                .l1MaxWeight(cache.l1().maxWeight())
                .l1MaxTtl(cache.l1().maxTtl())
                .l2(cache.l2().enabled())
                .leaseTtl(cache.l2().leaseTtl())
                .readYourWritesWait(cache.readYourWritesWait())
                .stalenessGuard(config.staleness().enabled(), config.staleness().budget())
                .loadTimeout(config.db().queryTimeout())
                .loaderExecutor(database)
                .meterRegistry(registry)
                .statsCounter(stats)
                .clock(clock)
                .fillHooks(hooks)
                .build();
    }

    /** Returns the cache of the demo's answers: every kind of the rules. */
    @Singleton
    TieredCache<CachedValue> answers(CommitcastClient client, Rules rules) {
        return client.cache(CachedValueCodec.INSTANCE, rules.kinds().stream().map(KeyKind::name).toList());
    }
}
