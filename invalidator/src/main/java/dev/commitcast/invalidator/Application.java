package dev.commitcast.invalidator;

import dev.commitcast.core.Secrets;
import io.micronaut.runtime.Micronaut;
import java.util.Map;

/**
 * The invalidator service: the {@link Invalidator} consume loop plus {@code GET /health} and {@code GET /metrics}
 * (Prometheus text). Configured by {@code commitcast.invalidator.*} (see {@code application.yml}).
 */
public final class Application {
    /** Secrets that may be given as files (Docker/Kubernetes secrets): variable -> property. */
    private static final Map<String, String> SECRET_FILES = Map.of(
            "COMMITCAST_REDIS_PASSWORD_FILE", "commitcast.invalidator.redis-password");

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args)
                .mainClass(Application.class)
                .properties(Secrets.fromFiles(System.getenv(), SECRET_FILES))
                .start();
    }
}
