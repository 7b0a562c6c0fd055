package dev.commitcast.invalidator;

import io.micronaut.runtime.Micronaut;

/**
 * The invalidator service: the {@link Invalidator} consume loop plus {@code GET /health} and {@code GET /metrics}
 * (Prometheus text). Configured by {@code commitcast.invalidator.*} (see {@code application.yml}).
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
