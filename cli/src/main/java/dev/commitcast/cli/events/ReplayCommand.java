package dev.commitcast.cli.events;

import dev.commitcast.cli.ExitCodes;
import dev.commitcast.cli.platform.Endpoints;
import dev.commitcast.cli.platform.KafkaClients;
import dev.commitcast.cli.platform.KafkaOptions;
import dev.commitcast.cli.platform.OptionConverters;
import dev.commitcast.cli.platform.RedisEffects;
import dev.commitcast.cli.platform.RedisOptions;
import dev.commitcast.cli.platform.RedisSession;
import dev.commitcast.cli.platform.RulesOptions;
import dev.commitcast.core.Rules;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * {@code replay}: re-processes recorded change events through the invalidator's own decoder, the shared rules and the
 * same Redis effects (delete values and leases, then broadcast the L1 evictions). Reads a file written by
 * {@code record}, or a topic range with a group-less consumer (the live group's offsets are never touched).
 */
@Command(name = "replay", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Re-process change events exactly as the invalidator does: decode, compute the keys, delete "
                + "them in Redis, broadcast the L1 evictions.",
                "Malformed lines are reported with their line number and skipped; the rest still replay."},
        footer = {"%nExamples:",
                "  ./commitcast replay --file events.jsonl --dry-run",
                "  ./commitcast replay --topic commitcast.public.users --from-time 2026-05-01T12:00Z",
                "  ./commitcast replay --topic commitcast.dlq --from-offset 0",
                ExitCodes.HELP + " (a malformed line or an undecodable event)"})
public final class ReplayCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--dry-run", description = "Print, per event, the keys and namespaces it would invalidate; "
            + "change nothing.")
    boolean dryRun;

    @Option(names = "--verbose", description = "Also print every event when not a dry run.")
    boolean verbose;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "500",
            description = "Records applied per Redis round (the invalidator's max.poll.records; default ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    RedisOptions redis;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    RulesOptions rulesOptions;

    @Spec
    CommandLine.Model.CommandSpec spec;

    Endpoints endpoints = Endpoints.ofRunningPlatform();

    static final class Source {
        @Option(names = "--file", paramLabel = "FILE", required = true,
                description = "A JSON-lines file written by ./commitcast record.")
        Path file;

        @ArgGroup(exclusive = false)
        TopicRange topic;
    }

    static final class TopicRange {
        @Option(names = "--topic", paramLabel = "TOPIC", required = true,
                description = "A change topic (<prefix>.<schema>.<table>) or the dead-letter topic (<prefix>.dlq).")
        String topic;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Start start;
    }

    static final class Start {
        @Option(names = "--from-offset", paramLabel = "N", required = true,
                description = "Start at this offset in every partition.")
        Long offset;

        @Option(names = "--from-time", paramLabel = "ISO8601", required = true,
                converter = OptionConverters.IsoInstant.class,
                description = "Start at the first record at or after this time, e.g. 2026-05-01T12:00:00Z.")
        Instant time;
    }

    @Override
    public Integer call() {
        if (batch < 1 || batch > 10_000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch: " + batch + " is not in 1..10000");
        }
        Predicate<String> topics = replayable();
        if (source.topic != null) {
            if (source.topic.start.offset != null && source.topic.start.offset < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--from-offset: " + source.topic.start.offset
                        + " is negative");
            }
            if (!topics.test(source.topic.topic)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--topic: '" + source.topic.topic
                        + "' is neither a change topic (" + kafka.describeChangeTopics() + ") nor the dead-letter topic "
                        + kafka.dlqTopic() + "; is --topic-prefix right?");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Endpoints first: a missing platform is reported before anything is opened.
        String redisUri = dryRun ? null : redis.redisUri(endpoints);
        String bootstrap = source.topic == null ? null : kafka.bootstrap(endpoints);
        try (EventSource events = open(bootstrap); RedisSession session = dryRun ? null
                : RedisSession.connect(redisUri)) {
            Rules rules = rulesOptions.load(endpoints, redis.keySpace());
            RedisEffects effects = session == null ? null : new RedisEffects(session, rules);
            ReplayReport report = new Replayer(rules, topics, effects, batch, verbose, out, err).run(events);
            out.println(report.summary(events.describe(), dryRun, rules.keySpace().evictionChannel()));
            out.flush();
            return report.hadProblems() ? ExitCodes.PARTIAL : ExitCodes.OK;
        }
    }

    /** Change topics of the prefix, and its dead-letter topic (whose records are the original change events). */
    private Predicate<String> replayable() {
        Predicate<String> change = kafka.changeTopics().asMatchPredicate();
        return change.or(kafka.dlqTopic()::equals);
    }

    private EventSource open(String bootstrap) {
        if (source.file != null) {
            return FileEventSource.open(source.file);
        }
        return TopicEventSource.open(KafkaClients.consumer(bootstrap, "commitcast-cli-replay"), bootstrap,
                source.topic.topic, source.topic.start.offset, source.topic.start.time);
    }
}
