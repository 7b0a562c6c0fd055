package dev.commitcast.cdc.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.cdc.testsupport.MutableClock;
import dev.commitcast.cdc.testsupport.TestEvents;
import dev.commitcast.cdc.testsupport.TestEvents.RecordingCommitter;
import dev.commitcast.cdc.testsupport.Wait;
import io.debezium.engine.ChangeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The batch handler marks records processed only after Kafka acknowledged every send of the batch. */
class ChangePublisherTest {
    private static final String USERS = "cc.public.users";
    private static final String MESSAGES = "cc.message";
    private static final String HEARTBEATS = "__debezium-heartbeat.cc";

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(cluster(USERS, 3), false, null,
            new ByteArraySerializer(), new ByteArraySerializer());
    private final AtomicInteger acksCompleted = new AtomicInteger();
    private final RecordingCommitter committer = new RecordingCommitter(acksCompleted::get);
    private final List<List<DecodedEvent>> acked = new ArrayList<>();
    private final List<List<DecodedEvent>> decodedBatches = new ArrayList<>();
    private final List<Long> decodedAt = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();
    private final ExecutorService engineThread = Executors.newSingleThreadExecutor();
    /** pg_current_snapshot() as the visibility check reads it; the test events' transaction is 7. */
    private final AtomicReference<String> snapshot = new AtomicReference<>("100:100:");
    private final CommitVisibility visibility = new CommitVisibility(snapshot::get, Duration.ofSeconds(5),
            CommitVisibility.Listener.NONE);

    private ChangePublisher publisher(Duration ackTimeout) {
        return new ChangePublisher(producer, TopicPartitions.fixed(Map.of(USERS, 3)),
                new EventDecoder(MESSAGES, HEARTBEATS), visibility, ackTimeout, new PublishListener() {
                    @Override
                    public void batchDecoded(List<DecodedEvent> events, long decodedMicros) {
                        decodedBatches.add(events);
                        decodedAt.add(decodedMicros);
                    }

                    @Override
                    public void batchAcked(List<DecodedEvent> events, long ackMicros) {
                        acked.add(events);
                    }

                    @Override
                    public void publishFailed(Throwable cause) {
                        failures.add(cause);
                    }
                }, new MutableClock(Instant.parse("2026-11-23T00:00:00Z")));
    }

    @AfterEach
    void stopThread() {
        engineThread.shutdownNow();
    }

    @Test
    void marksRecordsProcessedOnlyAfterEverySendOfTheBatchIsAcknowledged() throws Exception {
        List<ChangeEvent<byte[], byte[]>> batch = List.of(
                TestEvents.change(USERS, "users", "u", 1, 100, 1_000_000),
                TestEvents.change(USERS, "users", "u", 2, 200, 2_000_000));
        Future<?> handling = engineThread.submit(() -> {
            publisher(Duration.ofSeconds(30)).handleBatch(batch, committer);
            return null;
        });
        Wait.until("both sends issued", Duration.ofSeconds(5), () -> producer.history().size() == 2);
        assertTrue(committer.marked.isEmpty());
        assertEquals(1, decodedBatches.size(), "the decoded stage is reported before any acknowledgement");
        assertEquals(List.of(100L, 200L), decodedBatches.getFirst().stream().map(DecodedEvent::lsn).toList());
        assertEquals(List.of(1_795_392_000_000_000L), decodedAt, "when the engine handed the batch over, in µs");

        acksCompleted.incrementAndGet();
        assertTrue(producer.completeNext());
        acksCompleted.incrementAndGet();
        assertTrue(producer.completeNext());
        handling.get(5, TimeUnit.SECONDS);

        assertEquals(batch, committer.marked);
        assertEquals(List.of(2, 2), committer.acksCompletedAtMark, "no record was marked before both acks");
        assertTrue(committer.batchFinished);
        assertEquals(1, acked.size());
        assertEquals(List.of(100L, 200L), acked.getFirst().stream().map(DecodedEvent::lsn).toList());
    }

    @Test
    void aBatchIsNotSentBeforeItsTransactionIsVisibleToReaders() throws Exception {
        snapshot.set("7:7:");  // transaction 7: commit decoded, backend still waiting for a synchronous standby
        List<ChangeEvent<byte[], byte[]>> batch = List.of(TestEvents.change(USERS, "users", "u", 1, 100, 1_000_000));
        Future<?> handling = engineThread.submit(() -> {
            publisher(Duration.ofSeconds(30)).handleBatch(batch, committer);
            return null;
        });
        Thread.sleep(300);
        assertTrue(producer.history().isEmpty(), "nothing may be sent while readers still see the old row");
        assertFalse(handling.isDone());

        snapshot.set("5:9:5");  // 7 left the proc array; an older transaction 5 still runs
        Wait.until("the send issued", Duration.ofSeconds(5), () -> producer.history().size() == 1);
        acksCompleted.incrementAndGet();
        assertTrue(producer.completeNext());
        handling.get(5, TimeUnit.SECONDS);
        assertEquals(batch, committer.marked);
    }

    @Test
    void aSnapshotThatCannotBeReadFailsTheBatchWithoutSendingOrMarking() {
        CommitVisibility broken = new CommitVisibility(() -> {
            throw new java.sql.SQLException("connection refused");
        }, Duration.ofSeconds(5), CommitVisibility.Listener.NONE);
        ChangePublisher publisher = new ChangePublisher(producer, TopicPartitions.fixed(Map.of(USERS, 3)),
                new EventDecoder(MESSAGES, HEARTBEATS), broken, Duration.ofSeconds(1), PublishListener.NONE,
                java.time.Clock.systemUTC());
        PublishException e = assertThrows(PublishException.class, () -> publisher
                .handleBatch(List.of(TestEvents.change(USERS, "users", "u", 1, 100, 1)), committer));
        assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
        assertTrue(producer.history().isEmpty());
        assertTrue(committer.marked.isEmpty());
    }

    @Test
    void aFailedSendMarksNothingAndThrowsSoTheEngineStopsWithoutCommitting() throws Exception {
        List<ChangeEvent<byte[], byte[]>> batch = List.of(
                TestEvents.change(USERS, "users", "u", 1, 100, 1_000_000),
                TestEvents.change(USERS, "users", "u", 2, 200, 2_000_000));
        Future<?> handling = engineThread.submit(() -> {
            publisher(Duration.ofSeconds(30)).handleBatch(batch, committer);
            return null;
        });
        Wait.until("both sends issued", Duration.ofSeconds(5), () -> producer.history().size() == 2);
        producer.completeNext();
        producer.errorNext(new NotLeaderOrFollowerException("broker gone"));

        ExecutionException e = assertThrows(ExecutionException.class, () -> handling.get(5, TimeUnit.SECONDS));
        PublishException failure = assertInstanceOf(PublishException.class, e.getCause());
        assertInstanceOf(NotLeaderOrFollowerException.class, failure.getCause());
        assertTrue(committer.marked.isEmpty(), "nothing marked, so nothing committed");
        assertFalse(committer.batchFinished);
        assertEquals(1, failures.size());
        assertTrue(acked.isEmpty());
    }

    @Test
    void aSendThatThrowsAtOnceMarksNothing() {
        producer.sendException = new KafkaException("producer closed");
        PublishException e = assertThrows(PublishException.class, () -> publisher(Duration.ofSeconds(1))
                .handleBatch(List.of(TestEvents.change(USERS, "users", "c", 1, 100, 1)), committer));
        assertTrue(e.getMessage().contains("offsets are not committed"), e.getMessage());
        assertTrue(committer.marked.isEmpty());
    }

    @Test
    void anAcknowledgementThatNeverComesFailsTheBatchAfterTheTimeout() {
        PublishException e = assertThrows(PublishException.class, () -> publisher(Duration.ofMillis(200))
                .handleBatch(List.of(TestEvents.change(USERS, "users", "c", 1, 100, 1)), committer));
        assertInstanceOf(java.util.concurrent.TimeoutException.class, e.getCause());
        assertTrue(committer.marked.isEmpty());
    }

    @Test
    void keyedEventsKeepDebeziumsKeyAndValue() throws Exception {
        TestEvents.Event event = TestEvents.change(USERS, "users", "u", 42, 100, 1);
        MockProducer<byte[], byte[]> auto = new MockProducer<>(cluster(USERS, 3), true, null,
                new ByteArraySerializer(), new ByteArraySerializer());
        new ChangePublisher(auto, TopicPartitions.fixed(Map.of(USERS, 3)), new EventDecoder(MESSAGES, HEARTBEATS),
                visibility, Duration.ofSeconds(1), PublishListener.NONE, java.time.Clock.systemUTC())
                .handleBatch(List.of(event), committer);
        ProducerRecord<byte[], byte[]> sent = auto.history().getFirst();
        assertEquals(USERS, sent.topic());
        assertNull(sent.partition(), "the key picks the partition, as in Kafka Connect");
        assertEquals("{\"id\":42}", new String(sent.key()));
        assertEquals(new String(event.value()), new String(sent.value()));
    }

    @Test
    void aTruncateWithoutKeyGoesToEveryPartitionOfItsTopic() throws Exception {
        MockProducer<byte[], byte[]> auto = new MockProducer<>(cluster(USERS, 3), true, null,
                new ByteArraySerializer(), new ByteArraySerializer());
        new ChangePublisher(auto, TopicPartitions.fixed(Map.of(USERS, 3)), new EventDecoder(MESSAGES, HEARTBEATS),
                visibility, Duration.ofSeconds(1), PublishListener.NONE, java.time.Clock.systemUTC())
                .handleBatch(List.of(TestEvents.truncate(USERS, "users", 300, 3)), committer);
        assertEquals(Set.of(0, 1, 2), auto.history().stream().map(ProducerRecord::partition)
                .collect(Collectors.toSet()));
        assertEquals(1, committer.marked.size());
    }

    @Test
    void heartbeatsAreMarkedProcessedButNeverPublished() throws Exception {
        List<ChangeEvent<byte[], byte[]>> batch = List.of(TestEvents.heartbeat(HEARTBEATS),
                TestEvents.heartbeatMessage(MESSAGES, 500, 5_000_000));
        publisher(Duration.ofSeconds(1)).handleBatch(batch, committer);
        assertTrue(producer.history().isEmpty());
        assertEquals(batch, committer.marked);
        DecodedEvent message = acked.getFirst().get(1);
        assertEquals(DecodedEvent.Kind.HEARTBEAT_MESSAGE, message.kind());
        assertEquals(500, message.lsn());
        assertEquals(5_000_000, message.commitMicros());
        assertFalse(acked.getFirst().getFirst().hasPosition());
    }

    @Test
    void anEventWithoutSourcePositionIsAPermanentPublishFailure() {
        TestEvents.Event broken = new TestEvents.Event(USERS, TestEvents.bytes("{\"id\":1}"),
                TestEvents.bytes("{\"op\":\"u\"}"));
        PublishException e = assertThrows(PublishException.class, () -> publisher(Duration.ofSeconds(1))
                .handleBatch(List.of(broken), committer));
        assertInstanceOf(EventDecoder.MalformedEventException.class, e.getCause());
        assertTrue(dev.commitcast.cdc.engine.FailureClassifier.classify(e).permanent());
        assertTrue(committer.marked.isEmpty());
    }

    @Test
    void aBrokerTimeoutIsRetriable() {
        assertFalse(dev.commitcast.cdc.engine.FailureClassifier.classify(
                new PublishException("x", new TimeoutException("expired"))).permanent());
    }

    static Cluster cluster(String topic, int partitions) {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> infos = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            infos.add(new PartitionInfo(topic, p, node, new Node[] {node}, new Node[] {node}));
        }
        return new Cluster("test", List.of(node), infos, Set.of(), Set.of());
    }
}
