package dev.commitcast.api.cache;

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
