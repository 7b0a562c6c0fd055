package dev.commitcast.core.wire;

import static dev.commitcast.core.wire.SequenceTracker.Outcome.DUPLICATE_OR_OLD;
import static dev.commitcast.core.wire.SequenceTracker.Outcome.GAP;
import static dev.commitcast.core.wire.SequenceTracker.Outcome.IN_ORDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.commitcast.core.wire.SequenceTracker.Outcome;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SequenceTrackerTest {

    private final SequenceTracker tracker = new SequenceTracker();

    static Stream<Arguments> observations() {
        return Stream.of(
                arguments("a", 1, IN_ORDER),
                arguments("a", 2, IN_ORDER),
                arguments("a", 2, DUPLICATE_OR_OLD),
                arguments("a", 1, DUPLICATE_OR_OLD),
                arguments("a", 5, GAP),
                arguments("a", 4, DUPLICATE_OR_OLD),
                arguments("a", 6, IN_ORDER),
                arguments("b", 3, GAP),
                arguments("b", 4, IN_ORDER),
                arguments("c", 1, IN_ORDER),
                arguments("a", 7, IN_ORDER));
    }

    @Test
    void classifiesEachPublishersSequenceIndependently() {
        observations().forEach(args -> {
            Object[] a = args.get();
            assertEquals(a[2], tracker.observe((String) a[0], (Integer) a[1]), a[0] + "#" + a[1]);
        });
    }

    @ParameterizedTest(name = "after reset, first seen {0} -> {1}")
    @MethodSource("firstSeen")
    void resetMakesEveryPublisherNewAgain(long sequence, Outcome expected) {
        tracker.observe("a", 1);
        tracker.observe("a", 2);
        tracker.reset();
        assertEquals(expected, tracker.observe("a", sequence));
    }

    static Stream<Arguments> firstSeen() {
        return Stream.of(arguments(1L, IN_ORDER), arguments(2L, GAP), arguments(3L, GAP));
    }

    @Test
    void forgetsTheLeastRecentlySeenPublisherBeyondTheBound() {
        SequenceTracker small = new SequenceTracker(2);
        small.observe("a", 1);
        small.observe("b", 1);
        small.observe("a", 2);
        small.observe("c", 1);
        assertEquals(IN_ORDER, small.observe("a", 3));
        assertEquals(GAP, small.observe("b", 2));
    }

    @Test
    void concurrentDeliveriesOfOneMessageYieldExactlyOneInOrder() throws Exception {
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Outcome>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return tracker.observe("a", 1);
                }));
            }
            start.countDown();
            Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
            for (Future<Outcome> f : futures) {
                counts.merge(f.get(), 1, Integer::sum);
            }
            assertEquals(Map.of(IN_ORDER, 1, DUPLICATE_OR_OLD, threads - 1), counts);
        }
    }

    @Test
    void rejectsBadArguments() {
        assertEquals("sequence must be >= 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> tracker.observe("a", 0)).getMessage());
        assertEquals("maxPublishers must be >= 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> new SequenceTracker(0)).getMessage());
        assertThrows(NullPointerException.class, () -> tracker.observe(null, 1));
    }
}
