package dev.commitcast.api;

import dev.commitcast.core.Secrets;
import java.util.Map;

import io.micronaut.runtime.Micronaut;

/**
 * Entry point of the read API. Configuration and singletons are created eagerly, so an invalid {@code commitcast.*}
 * value stops the start with a message naming the key, and the first request does not pay for bean creation.
 */
public final class Application {
    /** Secrets that may be given as files (Docker/Kubernetes secrets): variable -> property. */
    private static final Map<String, String> SECRET_FILES = Map.of(
            "COMMITCAST_PG_PASSWORD_FILE", "datasources.default.password",
            "COMMITCAST_REDIS_PASSWORD_FILE", "commitcast.redis.password");

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args)
                .mainClass(Application.class)
                .properties(Secrets.fromFiles(System.getenv(), SECRET_FILES))
                .eagerInitConfiguration(true)
                .eagerInitSingletons(true)
                .start();
    }
}
