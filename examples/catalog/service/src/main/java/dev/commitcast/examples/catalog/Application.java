package dev.commitcast.examples.catalog;

import io.micronaut.runtime.Micronaut;

/** Starts the catalog example service. */
public final class Application {

    private Application() {
    }

    /** Runs the service; configuration from {@code application.yml} and the environment. */
    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
