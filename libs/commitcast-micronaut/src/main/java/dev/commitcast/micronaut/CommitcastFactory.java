package dev.commitcast.micronaut;

import dev.commitcast.client.CommitcastClient;
import dev.commitcast.core.Rules;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Builds the service's {@link Rules} and {@link CommitcastClient} from {@link CommitcastProperties} at start-up (so a
 * bad setting or rules file stops the start), unless the application defines its own. The client registers its
 * meters on the application's {@link MeterRegistry} when there is one.
 */
@Factory
public class CommitcastFactory {

    /** Returns the rules of {@code commitcast.rules}. */
    @Context
    @Requires(missingBeans = Rules.class)
    Rules commitcastRules(CommitcastProperties properties) {
        return properties.loadRules();
    }

    /** Returns the client; closed with the context. */
    @Context
    @Bean(preDestroy = "close")
    @Requires(missingBeans = CommitcastClient.class)
    CommitcastClient commitcastClient(CommitcastProperties properties, Rules rules,
                                      BeanProvider<MeterRegistry> registry) {
        CommitcastProperties.Cache cache = properties.cache();
        CommitcastProperties.Staleness staleness = properties.staleness();
        CommitcastProperties.Redis redis = properties.redis();
        CommitcastClient.Builder builder = CommitcastClient.newBuilder(rules).redis(redis.endpoint());
        set("commitcast.redis.command-timeout", redis.commandTimeout(), builder::commandTimeout);
        set("commitcast.redis.connect-timeout", redis.connectTimeout(), builder::connectTimeout);
        set("commitcast.cache.enabled", cache.enabled(), builder::enabled);
        set("commitcast.cache.l1.enabled", cache.l1().enabled(), builder::l1);
        set("commitcast.cache.l1.max-weight", cache.l1().maxWeight(), builder::l1MaxWeight);
        set("commitcast.cache.l1.max-ttl", cache.l1().maxTtl(), builder::l1MaxTtl);
        set("commitcast.cache.l2.enabled", cache.l2().enabled(), builder::l2);
        set("commitcast.cache.l2.lease-ttl", cache.l2().leaseTtl(), builder::leaseTtl);
        set("commitcast.cache.load-timeout", cache.loadTimeout(), builder::loadTimeout);
        set("commitcast.cache.read-your-writes-wait", cache.readYourWritesWait(), builder::readYourWritesWait);
        if (staleness.enabled() != null || staleness.budget() != null) {
            boolean guard = staleness.enabled() == null || staleness.enabled();
            set("commitcast.staleness.budget", staleness.budget() == null ? Duration.ofSeconds(5) : staleness.budget(),
                    budget -> builder.stalenessGuard(guard, budget));
        }
        registry.ifPresent(builder::meterRegistry);
        return builder.build();
    }

    /** Applies a set value; the builder's {@link IllegalArgumentException} becomes one naming the key. */
    private static <T> void set(String key, T value, Consumer<T> setter) {
        if (value == null) {
            return;
        }
        try {
            setter.accept(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key + ": " + e.getMessage(), e);
        }
    }
}
