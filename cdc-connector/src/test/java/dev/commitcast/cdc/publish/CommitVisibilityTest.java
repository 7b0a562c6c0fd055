package dev.commitcast.cdc.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The visibility rule of pg_current_snapshot(), 32-bit wraparound, the horizon shortcut and the hold reporting. */
class CommitVisibilityTest {
    private final Deque<String> snapshots = new ArrayDeque<>();
    private final List<String> reads = new ArrayList<>();
    private final List<Duration> holds = new ArrayList<>();
    private final List<Long> sleeps = new ArrayList<>();

    private final CommitVisibility visibility = new CommitVisibility(() -> {
        String next = snapshots.size() > 1 ? snapshots.poll() : snapshots.peek();
        reads.add(next);
        return next;
    }, Duration.ofDays(1), new CommitVisibility.Listener() {
        @Override
        public void holding(Duration heldFor) {
        }

        @Override
        public void held(Duration heldFor) {
            holds.add(heldFor);
        }
    }, sleeps::add);

    @Test
    void aTransactionIsVisibleBelowXminOrBelowXmaxAndNotRunning() {
        CommitVisibility.Snapshot s = CommitVisibility.Snapshot.parse("100:110:100,105");
        assertTrue(s.visible(99));
        assertFalse(s.visible(100), "in progress");
        assertTrue(s.visible(101));
        assertFalse(s.visible(105), "in progress");
        assertTrue(s.visible(109));
        assertFalse(s.visible(110), "at or past xmax: not yet complete when the snapshot was taken");
        assertFalse(s.visible(200));
    }

    @Test
    void idsCompareModulo2To32AcrossWraparound() {
        // Postgres prints xid8 (epoch << 32 | xid); Debezium's txId is the 32-bit xid.
        long epoch1 = 1L << 32;
        CommitVisibility.Snapshot s = CommitVisibility.Snapshot.parse(
                (epoch1 + 5) + ":" + (epoch1 + 10) + ":" + (epoch1 + 7));
        assertTrue(s.visible((int) 4_294_967_290L), "an xid just before the wrap precedes xmin 5 of the next epoch");
        assertTrue(s.visible(6));
        assertFalse(s.visible(7));
        assertFalse(s.visible(10));
    }

    @Test
    void waitsUntilEveryTransactionIsVisibleThenReportsTheHold() throws Exception {
        snapshots.add("7:8:7");
        snapshots.add("7:9:7");
        snapshots.add("8:9:");
        visibility.awaitVisible(new long[] {7, 8});
        assertEquals(3, reads.size());
        assertEquals(2, sleeps.size(), "paused between polls");
        assertEquals(1, holds.size());
    }

    @Test
    void transactionsBelowTheLastSeenXminNeedNoQuery() throws Exception {
        snapshots.add("50:50:");
        visibility.awaitVisible(new long[] {10});
        assertEquals(1, reads.size());
        visibility.awaitVisible(new long[] {11, 49});
        assertEquals(1, reads.size(), "a transaction that was complete stays complete");
        snapshots.clear();
        snapshots.add("60:60:");
        visibility.awaitVisible(new long[] {50});
        assertEquals(2, reads.size());
        assertTrue(holds.isEmpty(), "nothing had to wait");
    }

    @Test
    void anUnreadableSnapshotIsAnError() {
        snapshots.add("garbage");
        CommitVisibility.VisibilityCheckException e = assertThrows(CommitVisibility.VisibilityCheckException.class,
                () -> visibility.awaitVisible(new long[] {1}));
        assertTrue(e.getMessage().contains("garbage"), e.getMessage());
    }
}
