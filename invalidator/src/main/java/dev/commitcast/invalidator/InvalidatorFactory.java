package dev.commitcast.invalidator;

import dev.commitcast.invalidator.config.InvalidatorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;

/**
 * Micronaut wiring: one {@link Invalidator}, created eagerly at startup (so invalid configuration or an unreachable
 * Redis stops the service from starting) and closed on shutdown.
 */
@Factory
class InvalidatorFactory {

    @Context
    @Bean(preDestroy = "close")
    Invalidator invalidator(InvalidatorConfig config, MeterRegistry registry) {
        return Invalidator.builder(config).meterRegistry(registry).start();
    }
}
