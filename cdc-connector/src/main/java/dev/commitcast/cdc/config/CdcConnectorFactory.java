package dev.commitcast.cdc.config;

import dev.commitcast.cdc.CdcConnector;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The one {@link CdcConnector} of the application, created from {@link CdcProperties}; closed with the context. */
@Factory
public class CdcConnectorFactory {

    @Singleton
    @Bean(preDestroy = "close")
    public CdcConnector cdcConnector(CdcProperties properties, MeterRegistry registry) {
        return CdcConnector.create(properties.toSettings(), registry, Clock.systemUTC());
    }
}
