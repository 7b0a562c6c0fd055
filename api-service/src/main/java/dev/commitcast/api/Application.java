package dev.commitcast.api;

import io.micronaut.runtime.Micronaut;

/**
 * Entry point of the read API. Configuration and singletons are created eagerly, so an invalid {@code commitcast.*}
 * value stops the start with a message naming the key, and the first request does not pay for bean creation.
 */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args)
                .mainClass(Application.class)
                .eagerInitConfiguration(true)
                .eagerInitSingletons(true)
                .start();
    }
}
