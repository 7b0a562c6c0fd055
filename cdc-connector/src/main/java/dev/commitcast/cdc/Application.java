package dev.commitcast.cdc;

import dev.commitcast.core.Secrets;
import java.util.Map;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: starts Micronaut ({@code /health}, {@code /metrics}), then the connector. Exits with status 2 when the
 * connector cannot start (the log says why and how to fix it) and 1 when it stops on a permanent failure; a SIGTERM
 * closes the context, which stops the engine and flushes the producer.
 */
public final class Application {
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);
    /** Secrets that may be given as files (Docker/Kubernetes secrets): variable -> property. */
    private static final Map<String, String> SECRET_FILES = Map.of(
            "COMMITCAST_PG_PASSWORD_FILE", "commitcast.cdc.password");

    private Application() {
    }

    public static void main(String[] args) {
        ApplicationContext context = Micronaut.build(args).mainClass(Application.class)
                .properties(Secrets.fromFiles(System.getenv(), SECRET_FILES)).start();
        if (context == null) {
            System.exit(2); // Micronaut has logged why
        }
        CdcConnector connector;
        try {
            connector = context.getBean(CdcConnector.class);
            connector.start();
        } catch (RuntimeException e) {
            LOG.error("cdc-connector cannot start: {}", rootMessage(e));
            LOG.debug("start-up failure", e);
            context.close();
            System.exit(2);
            return;
        }
        try {
            connector.termination().toCompletableFuture().get();
        } catch (ExecutionException | CompletionException e) {
            LOG.error("cdc-connector stopped: {}", rootMessage(e.getCause() != null ? e.getCause() : e));
            context.close();
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The innermost message, which for configuration and start-up errors is the actionable one. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (!(t instanceof CdcStartupException || t instanceof IllegalArgumentException) && t.getCause() != null
                && t.getCause() != t) {
            t = t.getCause();
        }
        return t instanceof CdcStartupException || t instanceof IllegalArgumentException ? t.getMessage()
                : t.toString();
    }
}
