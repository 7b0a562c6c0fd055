package dev.commitcast.api.platform;

import dev.commitcast.client.FillHooks;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** Provides the production {@link FillHooks}: {@link FillHooks#NONE}. Tests replace the bean. */
@Factory
class FillHooksFactory {

    @Singleton
    FillHooks fillHooks() {
        return FillHooks.NONE;
    }
}
