package dev.commitcast.api;

import io.micronaut.runtime.Micronaut;

/** Entry point of the read API. */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
