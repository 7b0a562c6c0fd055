package dev.commitcast.cli;

import dev.commitcast.cli.status.PipelineStage;
import dev.commitcast.cli.status.PrometheusText;
import dev.commitcast.core.Rules;
import dev.commitcast.core.TableRule;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The last step of {@code up}: one row change through the whole pipeline before the platform is reported ready.
 * It commits a no-op update ({@code set c = c}, {@code c} a column the rules read) of one row of the first rules table
 * that has a row, then waits until the invalidators have broadcast an eviction for a change and every api-service
 * has applied an eviction.
 *
 * <p>Why: the watermark {@code up} already waits for proves that the connector's heartbeat goes through; this proves
 * that a row change does — decoded, published, consumed, matched by the rules, deleted in Redis, broadcast and
 * applied in each instance. It also runs each of those paths once, so that the user's first change is not the one
 * that loads and compiles them (the first change after {@code up} took 110–130 ms without it, 36–48 ms with it;
 * docs/benchmarks.md).
 *
 * <p>The update touches the database {@code up} created and loaded, never another; its triggers fire as on any
 * update. When no rules table has a row ({@code --no-demo-data}) there is nothing to update and the check is skipped.
 * Not completing is a warning naming the stage that was not reached, not a failure: the platform still answers
 * correctly, and {@code status} shows where changes stop.
 */
final class PipelineCheck {
    /** Per change: Postgres commit to L1 broadcast sent (the invalidators' histogram count). */
    static final String BROADCAST_COUNT = PipelineStage.BROADCAST.count();
    /** Eviction broadcasts an api-service received, by outcome; {@code applied} is a change's keys evicted. */
    static final String MESSAGES = "commitcast_broadcast_messages_total";
    private static final Duration POLL = Duration.ofMillis(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final List<URI> invalidators;
    private final List<URI> apis;

    /**
     * @param invalidators base URLs of the invalidators, whose {@code /metrics} count the broadcasts
     * @param apis         base URLs of the api-services, whose {@code /metrics} count the evictions they applied
     */
    PipelineCheck(List<URI> invalidators, List<URI> apis) {
        this.invalidators = List.copyOf(invalidators);
        this.apis = List.copyOf(apis);
    }

    /**
     * Commits the change and waits for it until {@code timeout}.
     *
     * @return the line for the log: what was updated and how long it took, that it was skipped, or a warning
     */
    String run(Connection connection, Rules rules, Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        double broadcastsBefore = broadcasts();
        List<Double> appliedBefore = new ArrayList<>();
        for (URI api : apis) {
            appliedBefore.add(applied(api));
        }
        long started = System.nanoTime();
        Optional<String> updated = updateOneRow(connection, rules);
        if (updated.isEmpty()) {
            return "pipeline check skipped: no table of the rules has a row to update";
        }
        String change = "a no-op update of one row of " + updated.get();
        while (broadcasts() <= broadcastsBefore) {
            if (System.nanoTime() > deadline) {
                return "warning: pipeline check: " + change + " was committed, but no invalidator broadcast its "
                        + "eviction within " + timeout.toSeconds() + " s. See ./commitcast status and the logs of "
                        + "the cdc-connector and the invalidator";
            }
            Thread.sleep(POLL);
        }
        for (int i = 0; i < apis.size(); i++) {
            while (applied(apis.get(i)) <= appliedBefore.get(i)) {
                if (System.nanoTime() > deadline) {
                    return "warning: pipeline check: " + change + " was broadcast, but " + apis.get(i)
                            + " applied no eviction within " + timeout.toSeconds() + " s. See ./commitcast status "
                            + "and its log";
                }
                Thread.sleep(POLL);
            }
        }
        return String.format("pipeline check: %s went through (evictions applied by %d api-services) in %d ms",
                change, apis.size(), Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /**
     * Updates one row of the first table of the rules that has one, setting a column the rules read to itself:
     * Postgres writes the update to the WAL all the same, and the rules match it.
     *
     * @return the table updated, empty when none had a row
     */
    static Optional<String> updateOneRow(Connection connection, Rules rules) throws SQLException {
        for (TableRule table : rules.tables()) {
            if (table.readColumns().isEmpty()) {
                continue;
            }
            String name = identifier(table.schema()) + "." + identifier(table.table());
            String column = identifier(table.readColumns().keySet().iterator().next());
            try (Statement statement = connection.createStatement()) {
                int rows = statement.executeUpdate("update " + name + " set " + column + " = " + column
                        + " where ctid = (select ctid from " + name + " limit 1)");
                if (rows > 0) {
                    return Optional.of(table.qualifiedName());
                }
            }
        }
        return Optional.empty();
    }

    private static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private double broadcasts() {
        double sum = 0;
        for (URI invalidator : invalidators) {
            sum += metrics(invalidator).sum(BROADCAST_COUNT).orElse(0);
        }
        return sum;
    }

    private double applied(URI api) {
        return metrics(api).samples(MESSAGES).stream().filter(s -> "applied".equals(s.label("outcome")))
                .mapToDouble(PrometheusText.Sample::value).sum();
    }

    /** The service's metrics; none (every count 0) while it does not answer — the deadline then tells. */
    private PrometheusText metrics(URI base) {
        try {
            return PrometheusText.scrape(http, base, Duration.ofSeconds(2));
        } catch (IOException | IllegalArgumentException e) {
            return PrometheusText.parse("");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PrometheusText.parse("");
        }
    }
}
