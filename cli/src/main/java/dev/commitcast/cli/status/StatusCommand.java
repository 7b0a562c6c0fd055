package dev.commitcast.cli.status;

import dev.commitcast.cli.platform.RulesOptions;
import dev.commitcast.core.KeySpace;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.commitcast.cli.ExitCodes;
import dev.commitcast.cli.RunningPlatform;
import dev.commitcast.cli.platform.Endpoints;
import dev.commitcast.cli.platform.KafkaOptions;
import dev.commitcast.cli.platform.OptionConverters;
import dev.commitcast.cli.platform.RedisOptions;
import dev.commitcast.cli.platform.ServiceOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code status}: one screen with every service's health, the invalidator's lag per partition, staleness,
 * invalidation latency p50/p99, cache hit rates per tier and per cache, fallbacks and the DLQ size, all read from the
 * services' own {@code /health}, {@code /metrics} and {@code /v1/perf/cache}. A service that does not answer is shown
 * DOWN and the screen still renders.
 */
@Command(name = "status", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Show the platform's health, lag, staleness, invalidation latency, hit rates and DLQ size.",
        footer = {"%nExamples:",
                "  ./commitcast status",
                "  ./commitcast status --watch --interval 2s",
                "  ./commitcast status --json | jq .cache.hitRate",
                "%nWith --json it prints the snapshot as JSON (with --watch: one object per line); field names are "
                        + "stable, null means unknown.",
                "Exit code 3 (both on screen and with --json) when a service is DOWN; the output is still complete.",
                ExitCodes.HELP})
public final class StatusCommand implements Callable<Integer> {
    private static final String CLEAR_SCREEN = "\u001b[H\u001b[2J";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--json", description = "Print JSON for scripts instead of the screen.")
    boolean json;

    @Option(names = "--watch", description = "Refresh until Ctrl-C.")
    boolean watch;

    @Option(names = "--interval", paramLabel = "DURATION", converter = OptionConverters.HumanDuration.class,
            description = "With --watch: time between refreshes (default 2s).")
    Duration interval;

    @Mixin
    RulesOptions rules;

    @Mixin
    ServiceOptions services;

    @Mixin
    RedisOptions redis;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandLine.Model.CommandSpec spec;

    Endpoints endpoints = Endpoints.ofRunningPlatform();
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws Exception {
        if (interval != null && !watch) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--interval needs --watch");
        }
        StatusTargets targets = targets();
        PrintWriter out = spec.commandLine().getOut();
        try (StatusCollector collector = new StatusCollector(targets, clock)) {
            while (true) {
                StatusSnapshot snapshot = collector.collect();
                print(out, snapshot);
                if (!watch) {
                    return snapshot.healthy() ? ExitCodes.OK : ExitCodes.PARTIAL;
                }
                Thread.sleep((interval == null ? Duration.ofSeconds(2) : interval).toMillis());
            }
        }
    }

    private void print(PrintWriter out, StatusSnapshot snapshot) throws JsonProcessingException {
        if (json) {
            out.println(watch ? JSON.writeValueAsString(snapshot)
                    : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(snapshot));
        } else {
            out.print((watch ? CLEAR_SCREEN : "") + StatusScreen.render(snapshot));
        }
        out.flush();
    }

    private StatusTargets targets() {
        if (!services.anyGiven() && !redis.given() && !kafka.given() && !endpoints.platformRunning()) {
            throw new IllegalStateException(RunningPlatform.NOT_RUNNING + " (or pass --api, --invalidator, --cdc)");
        }
        List<URI> apis = services.apis(endpoints);
        List<URI> invalidators = services.invalidators(endpoints);
        Optional<URI> cdc = services.cdc(endpoints);
        return new StatusTargets(apis, invalidators, cdc.orElse(null), redis.redisUriIfKnown(endpoints),
                keySpace(), kafka.bootstrapIfKnown(endpoints), kafka.dlqTopic(), endpoints.supervision());
    }

    /** The watermark's key space: --key-space, else the rules file's, else the default {@code cc}. */
    private KeySpace keySpace() {
        if (redis.keySpace() != null) {
            return new KeySpace(redis.keySpace(), 1);
        }
        return rules.known(endpoints) ? rules.load(endpoints, null).keySpace() : new KeySpace("cc", 1);
    }
}
