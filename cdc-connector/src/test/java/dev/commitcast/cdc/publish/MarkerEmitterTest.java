package dev.commitcast.cdc.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.events.WatermarkMarker;
import dev.commitcast.cdc.testsupport.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Markers go to every partition of every change topic, at most once per interval, never losing the last position. */
class MarkerEmitterTest {
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private static final String RULES = "0123456789abcdef";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final List<Scheduled> scheduled = new ArrayList<>();
    private final List<WatermarkMarker> sent = new ArrayList<>();
    private final MarkerEmitter emitter = new MarkerEmitter(producer,
            TopicPartitions.fixed(Map.of("cc.public.users", 3, "cc.public.orgs", 2)), INTERVAL, clock,
            (task, delay) -> {
                Scheduled s = new Scheduled(task, delay, new CompletableFuture<>());
                scheduled.add(s);
                return s.future;
            },
            new MarkerEmitter.Listener() {
                @Override
                public void markerSent(WatermarkMarker marker, int records) {
                    sent.add(marker);
                }

                @Override
                public void markerFailed(String topic, int partition, Exception error) {
                    throw new AssertionError(error);
                }
            }, RULES);

    private record Scheduled(Runnable task, Duration delay, CompletableFuture<Void> future) {
        void run() {
            if (!future.isCancelled()) {
                task.run();
            }
        }
    }

    /** Runs the scheduled tasks whose delay has passed, as the marker thread would. */
    private void runDue(Duration elapsed) {
        List<Scheduled> due = scheduled.stream().filter(s -> s.delay().compareTo(elapsed) <= 0).toList();
        scheduled.removeAll(due);
        due.forEach(Scheduled::run);
    }

    @Test
    void theFirstPositionIsSentAtOnceToEveryPartitionWithTheMarkerHeaderAndNoKey() {
        emitter.offer(1_000, 1_795_000_000_000_000L);
        assertEquals(Duration.ZERO, scheduled.getFirst().delay(), "sent at once, on the marker thread");
        assertTrue(producer.history().isEmpty(), "never on the caller's (engine) thread");
        runDue(Duration.ZERO);

        List<ProducerRecord<byte[], byte[]>> records = producer.history();
        assertEquals(Set.of("cc.public.users/0", "cc.public.users/1", "cc.public.users/2", "cc.public.orgs/0",
                "cc.public.orgs/1"), records.stream().map(r -> r.topic() + "/" + r.partition())
                .collect(Collectors.toSet()));
        assertEquals(5, records.size());
        for (ProducerRecord<byte[], byte[]> r : records) {
            assertNull(r.key());
            assertEquals("watermark", new String(r.headers().lastHeader("commitcast-marker").value(),
                    StandardCharsets.UTF_8));
            assertEquals("{\"lsn\":1000,\"pgLsn\":\"0/3E8\",\"commitTs\":1795000000000000,\"emittedTs\":"
                    + "1795428000000000,\"rules\":\"0123456789abcdef\"}", new String(r.value(),
                    StandardCharsets.UTF_8), "the marker names the rules the connector runs");
        }
        assertTrue(scheduled.isEmpty());
    }

    @Test
    void offersWithinTheIntervalAreCoalescedIntoOneTrailingSetWithTheHighestPosition() {
        emitter.offer(1_000, 1_000);
        runDue(Duration.ZERO);
        clock.advance(Duration.ofMillis(300));
        emitter.offer(2_000, 2_000);
        emitter.offer(1_500, 1_500); // a change's own LSN can be lower than one seen before
        emitter.offer(3_000, 3_000);

        assertEquals(1, sent.size(), "one set per interval");
        assertEquals(1, scheduled.size(), "one trailing set, scheduled once");
        assertEquals(Duration.ofMillis(700), scheduled.getFirst().delay());

        clock.advance(Duration.ofMillis(700));
        runDue(Duration.ofMillis(700));
        assertEquals(List.of(1_000L, 3_000L), sent.stream().map(WatermarkMarker::lsn).toList());
        assertEquals(10, producer.history().size());
    }

    @Test
    void nothingIsSentWhenThePositionDidNotAdvance() {
        emitter.offer(1_000, 1_000);
        runDue(Duration.ZERO);
        clock.advance(Duration.ofSeconds(5));
        emitter.offer(900, 900);
        emitter.offer(1_000, 1_000);
        assertEquals(1, sent.size());
        assertTrue(scheduled.isEmpty());
    }

    @Test
    void afterAQuietIntervalTheNextPositionIsSentAtOnce() {
        emitter.offer(1_000, 1_000);
        runDue(Duration.ZERO);
        clock.advance(Duration.ofMillis(1_001));
        emitter.offer(2_000, 2_000);
        assertEquals(Duration.ZERO, scheduled.getFirst().delay());
        runDue(Duration.ZERO);
        assertEquals(2, sent.size());
        assertTrue(scheduled.isEmpty());
    }

    @Test
    void aBrokerThatBlocksSendsNeverBlocksOffer() throws Exception {
        // Regression: marker sends used to run on the engine's thread under the emitter's lock; a send blocked on
        // metadata (broker down, max.block.ms) then stalled every batch of the engine.
        CountDownLatch sendEntered = new CountDownLatch(1);
        CountDownLatch releaseSend = new CountDownLatch(1);
        MockProducer<byte[], byte[]> blocking = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(
                    ProducerRecord<byte[], byte[]> record, Callback callback) {
                sendEntered.countDown();
                try {
                    releaseSend.await();
                } catch (InterruptedException e) {
                    throw new InterruptException(e);
                }
                return super.send(record, callback);
            }
        };
        ScheduledExecutorService markerThread =
                Executors.newSingleThreadScheduledExecutor();
        try {
            MarkerEmitter real = new MarkerEmitter(blocking, TopicPartitions.fixed(Map.of("t", 1)), INTERVAL, clock,
                    (task, delay) -> markerThread.schedule(task, delay.toNanos(),
                            TimeUnit.NANOSECONDS), new MarkerEmitter.Listener() {
                                @Override
                                public void markerSent(WatermarkMarker marker, int records) {
                                }

                                @Override
                                public void markerFailed(String topic, int partition, Exception error) {
                                }
                            }, RULES);
            real.offer(1_000, 1_000);
            assertTrue(sendEntered.await(5, TimeUnit.SECONDS));
            CompletableFuture<Void> offers = CompletableFuture.runAsync(() -> {
                for (int i = 2; i < 100; i++) {
                    real.offer(i * 1_000L, i);
                }
            });
            offers.get(5, TimeUnit.SECONDS); // would time out if offer waited for the send
            releaseSend.countDown();
            real.close();
        } finally {
            releaseSend.countDown();
            markerThread.shutdownNow();
        }
    }

    @Test
    void closeDropsAPendingTrailingSet() {
        emitter.offer(1_000, 1_000);
        runDue(Duration.ZERO);
        emitter.offer(2_000, 2_000);
        Future<?> trailing = scheduled.getFirst().future();
        emitter.close();
        assertTrue(trailing.isCancelled());
        scheduled.getFirst().run();
        emitter.offer(5_000, 5_000);
        assertEquals(1, sent.size());
    }
}
