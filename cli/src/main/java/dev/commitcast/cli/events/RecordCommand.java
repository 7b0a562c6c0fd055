package dev.commitcast.cli.events;

import dev.commitcast.cli.ExitCodes;
import dev.commitcast.cli.Invocation;
import dev.commitcast.cli.platform.Endpoints;
import dev.commitcast.cli.platform.KafkaClients;
import dev.commitcast.cli.platform.KafkaOptions;
import dev.commitcast.cli.platform.OptionConverters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code record}: writes the change events of the running platform's Kafka to a JSON-lines file ({@link EventLines}),
 * starting in every change topic at its first record at or after the moment the command was invoked
 * ({@link Invocation}: the script's start, not the JVM's, so a change made while the JVM starts is recorded), or at
 * {@code --from-time}. It says on stderr when it is recording. Watermark markers are recorded too, flagged
 * {@code "marker":true} (unless {@code --no-markers}). Ends on Ctrl-C (or SIGTERM), after {@code --for}, or after
 * {@code --max-records}, and prints how many records it wrote. Reads with {@code assign()}: no consumer group.
 */
@Command(name = "record", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Record change events (topics <prefix>.<schema>.<table>, from the moment the command was invoked or "
                + "--from-time) to a JSON-lines file.",
        footer = {"%nExamples:",
                "  ./commitcast record --out events.jsonl              # until Ctrl-C",
                "  ./commitcast record --out events.jsonl --for 30s",
                "  ./commitcast record --out events.jsonl --from-time 2026-05-01T12:00:00Z --for 5s",
                "%nOne JSON object per line: topic, partition, offset, timestamp (epoch ms), key and value (the raw",
                "JSON text as strings), headers (name -> text), marker (true for watermark markers).",
                "Ctrl-C ends it; the shell then sees 130, as for any interrupted command (use --for for 0).",
                ExitCodes.HELP})
public final class RecordCommand implements Callable<Integer> {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration TOPIC_REFRESH = Duration.ofSeconds(5);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The file to write.")
    Path out;

    @Option(names = "--for", paramLabel = "DURATION", converter = OptionConverters.HumanDuration.class,
            description = "Stop after this long, e.g. 30s, 5m (default: until Ctrl-C).")
    Duration duration;

    @Option(names = "--from-time", paramLabel = "ISO8601", converter = OptionConverters.IsoInstant.class,
            description = "Start at the first record at or after this time instead of the moment the command "
                    + "was invoked, e.g. 2026-05-01T12:00:00Z.")
    Instant fromTime;

    @Option(names = "--max-records", paramLabel = "N", description = "Stop after this many records.")
    Long maxRecords;

    @Option(names = "--no-markers", description = "Leave watermark markers out.")
    boolean noMarkers;

    @Option(names = "--overwrite", description = "Replace FILE if it exists.")
    boolean overwrite;

    @Mixin
    KafkaOptions kafka;

    @Spec
    CommandLine.Model.CommandSpec spec;

    Endpoints endpoints = Endpoints.ofRunningPlatform();

    private volatile boolean stopping;

    @Override
    public Integer call() throws Exception {
        if (maxRecords != null && maxRecords < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-records: must be >= 1, was " + maxRecords);
        }
        checkOutput();
        Instant from = fromTime != null ? fromTime : Invocation.instant();
        String bootstrap = kafka.bootstrap(endpoints);
        PrintWriter console = spec.commandLine().getOut();
        CountDownLatch finished = new CountDownLatch(1);
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(bootstrap, "commitcast-cli-record")) {
            Thread hook = new Thread(() -> {
                stopping = true;
                consumer.wakeup();
                awaitQuietly(finished);
            }, "commitcast-record-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                ChangeTopicAssignment assignment = new ChangeTopicAssignment(consumer, kafka.changeTopics());
                try {
                    assignment.startAt(from);
                } catch (WakeupException e) {
                    console.println("stopped before recording started; wrote nothing to " + out);
                    return ExitCodes.OK;
                } catch (KafkaException e) {
                    throw new IllegalStateException(KafkaClients.unreachable(bootstrap, e), e);
                }
                // stderr, so a script that records in the background sees when recording began
                PrintWriter status = spec.commandLine().getErr();
                status.println("recording " + assignment.partitions() + " partitions of " + assignment.topics().size()
                        + " topics " + kafka.describeChangeTopics() + " from " + from
                        + (fromTime == null ? " (when the command was invoked)" : "") + " to " + out
                        + (duration == null ? " (Ctrl-C to stop)"
                        : " for " + duration.toString().substring(2).toLowerCase(Locale.ROOT)));
                status.flush();
                Counts counts = record(consumer, assignment);
                console.println("wrote " + counts.records + " records (" + counts.markers + " markers) to " + out);
                console.flush();
                return ExitCodes.OK;
            } finally {
                finished.countDown();
                removeHook(hook);
            }
        }
    }

    private record Counts(long records, long markers) {
    }

    private Counts record(KafkaConsumer<byte[], byte[]> consumer, ChangeTopicAssignment assignment) throws IOException {
        long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        long nextRefresh = System.nanoTime() + TOPIC_REFRESH.toNanos();
        long records = 0;
        long markers = 0;
        try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            while (!stopping && System.nanoTime() - deadline < 0 && (maxRecords == null || records < maxRecords)) {
                try {
                    for (ConsumerRecord<byte[], byte[]> polled : consumer.poll(POLL)) {
                        EventRecord event = EventRecord.of(polled);
                        if (event.marker() && noMarkers) {
                            continue;
                        }
                        writer.write(EventLines.write(event));
                        writer.newLine();
                        records++;
                        markers += event.marker() ? 1 : 0;
                        if (maxRecords != null && records >= maxRecords) {
                            break;
                        }
                    }
                    writer.flush(); // what was polled is on disk even if the process is killed next
                    if (System.nanoTime() - nextRefresh > 0) {
                        assignment.addNew();
                        nextRefresh = System.nanoTime() + TOPIC_REFRESH.toNanos();
                    }
                } catch (WakeupException e) {
                    break; // Ctrl-C: the hook waits for the summary
                }
            }
        }
        return new Counts(records, markers);
    }

    private void checkOutput() {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalStateException("--out " + out + ": directory " + parent + " does not exist");
        }
        if (Files.exists(out) && !overwrite) {
            throw new IllegalStateException("--out " + out + " exists; pass --overwrite to replace it");
        }
        if (Files.isDirectory(out)) {
            throw new IllegalStateException("--out " + out + " is a directory");
        }
    }

    private static void awaitQuietly(CountDownLatch finished) {
        try {
            finished.await(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it waits for `finished`, which is already counted down
        }
    }
}
