package dev.commitcast.cli;

import dev.commitcast.cli.platform.ServiceKind;
import dev.commitcast.cli.status.GroupCoverage;
import dev.commitcast.core.Rules;
import dev.commitcast.devstack.PostgresEndpoint;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What {@code up} waits for once every service answers {@code /health}, before it reports ready. Each wait that does
 * not end in time is a warning in the supervisor's log, not a failure: the platform answers correctly meanwhile (from
 * Postgres where it must), and {@code status} shows what is behind. Without a connector and an invalidator (not
 * built) there is no pipeline, and nothing to wait for.
 */
final class Readiness {
    private static final Duration CACHES_TRUSTED_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration GROUP_SETTLED_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PIPELINE_CHECK_TIMEOUT = Duration.ofSeconds(30);

    private Readiness() {
    }

    /** Waits for each, in order: caches trusted, consumer group settled, one change through. */
    static void await(List<ServiceProcess> services, ServiceUrls urls, PostgresEndpoint pg, Rules rules)
            throws InterruptedException {
        awaitCachesTrusted(services, urls);
        awaitGroupSettled(urls);
        checkPipeline(urls, pg, rules);
    }

    /**
     * Ready means cached reads: an api-service bypasses its caches until the first pipeline watermark reaches it
     * (published by the invalidator from the connector's heartbeat). Until then the API answers from Postgres, and
     * {@code status} shows the staleness.
     */
    private static void awaitCachesTrusted(List<ServiceProcess> services, ServiceUrls urls)
            throws InterruptedException {
        if (urls.cdc() == null || urls.invalidators().isEmpty()) {
            return;
        }
        Instant deadline = Instant.now().plus(CACHES_TRUSTED_TIMEOUT);
        for (ServiceProcess service : services) {
            if (service.module().equals(ServiceKind.API_SERVICE.module())) {
                service.awaitCachesTrusted(deadline).ifPresent(last -> System.out.println("warning: "
                        + service.name() + " does not trust its caches after " + CACHES_TRUSTED_TIMEOUT.toSeconds()
                        + " s and answers from Postgres (X-Cache: BYPASS); last " + last
                        + ". See ./commitcast status and the invalidator's log"));
            }
        }
    }

    /**
     * Ready also means every partition of the change topics has an invalidator: with several, the consumer group
     * keeps rebalancing for a few seconds after the last one starts, and its partitions have no owner meanwhile (the
     * pipeline lags, {@code status} lists fewer partitions). If it does not settle, the watermark stops moving and
     * the api-services stop trusting their caches once past the staleness budget.
     */
    private static void awaitGroupSettled(ServiceUrls urls) throws InterruptedException {
        if (urls.invalidators().isEmpty()) {
            return;
        }
        GroupCoverage.awaitSettled(urls.invalidators(), Instant.now().plus(GROUP_SETTLED_TIMEOUT))
                .ifPresent(last -> System.out.println("warning: the invalidators' consumer group has not settled"
                        + " after " + GROUP_SETTLED_TIMEOUT.toSeconds() + " s: " + last
                        + ". See ./commitcast status and the invalidators' logs"));
    }

    /**
     * Ready last means a row change goes through: one is sent through the pipeline ({@link PipelineCheck}). It needs
     * the whole pipeline: a connector, an invalidator and an api-service.
     */
    private static void checkPipeline(ServiceUrls urls, PostgresEndpoint pg, Rules rules)
            throws InterruptedException {
        if (!urls.wholePipeline()) {
            return;
        }
        try (Connection connection = pg.connect(pg.database())) {
            PipelineCheck check = new PipelineCheck(urls.invalidators(), urls.apis());
            System.out.println(check.run(connection, rules, PIPELINE_CHECK_TIMEOUT) + " " + Supervisor.sinceStart());
        } catch (SQLException e) {
            System.out.println("warning: pipeline check: the update failed: " + e.getMessage());
        }
    }
}
