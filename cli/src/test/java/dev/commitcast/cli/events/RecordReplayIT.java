package dev.commitcast.cli.events;

import dev.commitcast.testsupport.Repo;
import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.cli.CliRunner;
import dev.commitcast.cli.ExitCodes;
import dev.commitcast.cli.Invocation;
import dev.commitcast.cli.TestRedis;
import dev.commitcast.devstack.DevStack;
import dev.commitcast.core.CacheKey;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.commitcast.cli.events.Events.change;
import static dev.commitcast.cli.events.Events.row;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code record} then {@code replay}, against the dev stack's Kafka and Redis: records what is produced after it
 * started (markers flagged), and replaying the file or the topic range deletes the keys the events name. Neither
 * creates a consumer group.
 */
class RecordReplayIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final String prefix = "rr" + UUID.randomUUID().toString().substring(0, 8);
    private final String users = prefix + ".public.users";
    private final String bootstrap = DevStack.shared().kafka().bootstrapServers();
    private TestRedis redis;
    private KafkaProducer<String, String> producer;
    @TempDir
    Path dir;

    @BeforeEach
    void setUp() {
        DevStack.shared().kafka().createTopic(users, 2);
        redis = new TestRedis();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    @AfterEach
    void tearDown() {
        producer.close(Duration.ofSeconds(5));
        redis.close();
    }

    private void produceUserChanges() throws Exception {
        producer.send(new ProducerRecord<>(users, 0, "{\"id\":9}", change("users", "u", row("id", 9, "org_id", 7),
                row("id", 9, "org_id", 7), 7000, Instant.now()))).get(10, TimeUnit.SECONDS);
        producer.send(new ProducerRecord<>(users, 0, "{\"id\":21}", change("users", "d", row("id", 21, "org_id", 8),
                null, 7001, Instant.now()))).get(10, TimeUnit.SECONDS);
        RecordHeaders marker = new RecordHeaders();
        marker.add("commitcast-marker", "watermark".getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(users, 0, null, null, Events.marker(7001, Instant.now()), marker))
                .get(10, TimeUnit.SECONDS);
    }

    private static final CacheKey[] NAMED = {DemoKeys.user(7, 9), DemoKeys.userList(7), DemoKeys.user(8, 21),
            DemoKeys.userList(8)};

    @Test
    void recordThenReplayTheFileAndTheTopic() throws Exception {
        // everything in partition 0, so offsets are known: 0 before the recording, 1..3 during it
        long before = producer.send(new ProducerRecord<>(users, 0, "{\"id\":1}", Events.userCreated(7, 1)))
                .get(10, TimeUnit.SECONDS).timestamp();
        // the command records from the moment it starts (in this JVM: its call): a later millisecond than offset 0
        await().atMost(WAIT).until(() -> System.currentTimeMillis() > before);
        Path file = dir.resolve("events.jsonl");
        RecordingRun recording = RecordingRun.start(file, bootstrap, prefix, "--max-records", "3");
        await().atMost(WAIT).until(() -> recording.output().contains("recording 2 partitions of 1 topics"));
        Instant afterStart = Instant.now();
        produceUserChanges();
        CliRunner.Run run = recording.finished(WAIT);
        assertEquals(ExitCodes.OK, run.exit(), run.all());
        assertTrue(run.out().contains("wrote 3 records (1 markers) to " + file), run.all());

        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size(), "only what was produced after the start: " + lines);
        List<EventRecord> records = lines.stream().map(EventLines::parse).toList();
        assertEquals(1, records.stream().filter(EventRecord::marker).count());
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"marker\":true")
                && l.contains("\"headers\":{\"commitcast-marker\":\"watermark\"}")), lines.toString());
        assertTrue(records.stream().allMatch(r -> r.topic().equals(users)));

        redis.seed(NAMED);
        redis.seed(DemoKeys.user(7, 1), DemoKeys.settings(8));
        CliRunner.Run replay = replay("--file", file.toString());
        assertEquals(ExitCodes.OK, replay.exit(), replay.all());
        assertTrue(replay.out().contains("2 changes, 1 markers"), replay.all());
        assertNamedGoneOthersKept();

        redis.seed(NAMED);
        replay = replay("--topic", users, "--from-offset", "1", "--kafka", bootstrap);
        assertEquals(ExitCodes.OK, replay.exit(), replay.all());
        assertTrue(replay.out().contains("replayed 3 records from " + users + " from offset 1"), replay.all());
        assertNamedGoneOthersKept();

        redis.seed(NAMED);
        replay = replay("--topic", users, "--from-time", afterStart.minusMillis(1).toString(), "--kafka", bootstrap);
        assertEquals(ExitCodes.OK, replay.exit(), replay.all());
        assertTrue(replay.out().contains("replayed 3 records"), replay.all());
        assertNamedGoneOthersKept();

        replay = replay("--topic", users, "--from-time", Instant.now().plusSeconds(3600).toString(), "--kafka",
                bootstrap, "--dry-run");
        assertEquals(ExitCodes.OK, replay.exit(), replay.all());
        assertTrue(replay.out().contains("dry run of 0 records"), replay.all());

        assertNoCliConsumerGroup();
    }

    @Test
    void fromTimeRecordsWhatWasProducedBeforeTheCommandStarted() throws Exception {
        long before = producer.send(new ProducerRecord<>(users, 0, "{\"id\":1}", Events.userCreated(7, 1)))
                .get(10, TimeUnit.SECONDS).timestamp();
        // a later millisecond: record timestamps (this producer's clock) have millisecond resolution
        await().atMost(WAIT).until(() -> System.currentTimeMillis() > before);
        long from = producer.send(new ProducerRecord<>(users, 1, "{\"id\":2}", Events.userCreated(7, 2)))
                .get(10, TimeUnit.SECONDS).timestamp();
        producer.send(new ProducerRecord<>(users, 0, "{\"id\":3}", Events.userCreated(7, 3))).get(10, TimeUnit.SECONDS);

        Path file = dir.resolve("from-time.jsonl");
        CliRunner.Run run = CliRunner.run("record", "--out", file.toString(), "--kafka", bootstrap, "--topic-prefix",
                prefix, "--from-time", Instant.ofEpochMilli(from).toString(), "--for", "3s");
        assertEquals(ExitCodes.OK, run.exit(), run.all());
        assertTrue(run.err().contains(" from " + Instant.ofEpochMilli(from) + " to " + file), run.all());
        List<String> keys = Files.readAllLines(file).stream().map(EventLines::parse).map(EventRecord::key).sorted()
                .toList();
        assertEquals(List.of("{\"id\":2}", "{\"id\":3}"), keys, "the records at or after --from-time, in both partitions");
    }

    /**
     * A change produced after the user invoked {@code record} but before the command ran (the JVM's start-up, when
     * started by the script) is recorded: the command starts at its invocation time, not at the end of the topics.
     */
    @Test
    void recordsFromTheMomentItWasInvokedNotFromWhenItStarted() throws Exception {
        long invoked = System.currentTimeMillis();
        await().atMost(WAIT).until(() -> System.currentTimeMillis() > invoked);
        producer.send(new ProducerRecord<>(users, 1, "{\"id\":4}", Events.userCreated(7, 4))).get(10, TimeUnit.SECONDS);
        Path file = dir.resolve("invoked.jsonl");
        System.setProperty(Invocation.PROPERTY, Long.toString(invoked));
        CliRunner.Run run;
        try {
            run = CliRunner.run("record", "--out", file.toString(), "--kafka", bootstrap, "--topic-prefix", prefix,
                    "--max-records", "1", "--no-markers", "--for", "30s");
        } finally {
            System.clearProperty(Invocation.PROPERTY);
        }
        assertEquals(ExitCodes.OK, run.exit(), run.all());
        assertTrue(run.err().contains("(when the command was invoked)"), "said on stderr: " + run.all());
        assertEquals("{\"id\":4}", EventLines.parse(Files.readAllLines(file).getFirst()).key());
    }

    @Test
    void aTopicCreatedWhileRecordingIsRecordedFromItsStart() throws Exception {
        Path file = dir.resolve("new-topic.jsonl");
        RecordingRun recording = RecordingRun.start(file, bootstrap, prefix, "--max-records", "1");
        await().atMost(WAIT).until(() -> recording.output().contains("recording 2 partitions"));
        String roles = prefix + ".public.roles";
        DevStack.shared().kafka().createTopic(roles, 1);
        producer.send(new ProducerRecord<>(roles, "{\"id\":3}", change("roles", "c", null,
                row("id", 3, "org_id", 7, "name", "r"), 8000, Instant.now()))).get(10, TimeUnit.SECONDS);
        CliRunner.Run run = recording.finished(WAIT);
        assertEquals(ExitCodes.OK, run.exit(), run.all());
        assertEquals(roles, EventLines.parse(Files.readAllLines(file).getFirst()).topic());
    }

    @Test
    void anUnreachableKafkaIsNamed() {
        CliRunner.Run run = CliRunner.run("record", "--out", dir.resolve("x.jsonl").toString(), "--kafka",
                "127.0.0.1:1", "--for", "1m");
        assertEquals(ExitCodes.FAILED, run.exit(), run.all());
        assertTrue(run.err().contains("cannot reach Kafka at 127.0.0.1:1"), run.all());
        run = CliRunner.run("replay", "--topic", "commitcast.public.users", "--from-offset", "0", "--kafka",
                "127.0.0.1:1", "--dry-run", "--rules", Repo.demoRulesFile().toString());
        assertEquals(ExitCodes.FAILED, run.exit(), run.all());
        assertTrue(run.err().contains("cannot reach Kafka at 127.0.0.1:1"), run.all());
    }

    @Test
    void aMissingTopicIsNamed() {
        CliRunner.Run run = replay("--topic", prefix + ".public.absent", "--from-offset", "0", "--kafka", bootstrap,
                "--dry-run");
        assertEquals(ExitCodes.FAILED, run.exit(), run.all());
        assertTrue(run.err().contains("topic " + prefix + ".public.absent does not exist"), run.all());
    }

    private CliRunner.Run replay(String... args) {
        List<String> all = new ArrayList<>(List.of("replay", "--redis", redis.uri(), "--key-space",
                redis.keySpace().prefix(), "--topic-prefix", prefix, "--rules", redis.rulesFile()));
        all.addAll(List.of(args));
        return CliRunner.run(all.toArray(String[]::new));
    }

    private void assertNamedGoneOthersKept() {
        for (CacheKey key : NAMED) {
            assertFalse(redis.cached(key), key + " is named by a recorded event");
        }
        assertTrue(redis.cached(DemoKeys.user(7, 1)), "produced before the recording started");
        assertTrue(redis.cached(DemoKeys.settings(8)));
    }

    private void assertNoCliConsumerGroup() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Collection<GroupListing> groups = admin.listGroups().all().get(10, TimeUnit.SECONDS);
            assertTrue(groups.stream().noneMatch(g -> g.groupId().contains("cli")), groups.toString());
        }
    }

    /** A {@code record} command running in its own thread. */
    private record RecordingRun(AtomicReference<CliRunner.Run> run, CompletableFuture<CliRunner.Run> done) {
        static RecordingRun start(Path out, String bootstrap, String prefix, String... extra) {
            List<String> args = new ArrayList<>(List.of("record", "--out", out.toString(), "--kafka", bootstrap,
                    "--topic-prefix", prefix, "--for", "60s"));
            args.addAll(List.of(extra));
            AtomicReference<CliRunner.Run> running = new AtomicReference<>();
            CompletableFuture<CliRunner.Run> done = new CompletableFuture<>();
            Thread.ofPlatform().name("record-" + prefix).daemon().start(() -> {
                try {
                    done.complete(CliRunner.run(running::set, commandLine -> { }, args.toArray(String[]::new)));
                } catch (Throwable e) {
                    done.completeExceptionally(e);
                }
            });
            return new RecordingRun(running, done);
        }

        String output() {
            CliRunner.Run current = run.get();
            return current == null ? "" : current.out() + current.err();
        }

        CliRunner.Run finished(Duration timeout) throws Exception {
            return done.get(timeout.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
