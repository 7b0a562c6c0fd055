package dev.commitcast.cdc.publish;

import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a batch back until every transaction in it is visible to new snapshots on the primary (ADR-0008).
 *
 * <p>Postgres flushes a commit record before the committing backend leaves the proc array; under synchronous
 * replication the backend waits for the standby in between ({@code SyncRep}), and logical decoding sends every
 * locally flushed commit. An invalidation published in that window is applied while readers still see the old row,
 * and a reader then fills the old value back — stale until its TTL. So before a batch is published, its transactions'
 * ids are checked against {@code pg_current_snapshot()}: a transaction is visible when it precedes the snapshot's
 * {@code xmin}, or precedes its {@code xmax} and is not in its in-progress list. Ids are compared as Postgres compares
 * 32-bit transaction ids (modulo 2^32), which is exact while they are less than 2^31 apart — Postgres' own
 * wraparound protection guarantees that for any transaction still in the WAL being decoded.
 *
 * <p>Cost: none when every id precedes the newest {@code xmin} seen (an id that was complete stays complete), else one
 * round trip per poll; a batch waits only while a commit really is in the window. A hold longer than
 * {@code warnAfter} is logged once with the likely cause. Used by the engine's thread only.
 */
public final class CommitVisibility {
    private static final Logger LOG = LoggerFactory.getLogger(CommitVisibility.class);
    private static final long FIRST_PAUSE_NANOS = Duration.ofMillis(1).toNanos();
    private static final long MAX_PAUSE_NANOS = Duration.ofMillis(50).toNanos();

    /** Reads the current snapshot, {@code pg_current_snapshot()::text}: {@code xmin:xmax:xip,xip,...}. */
    @FunctionalInterface
    public interface Snapshots {
        String current() throws Exception;
    }

    /** What a hold looks like from outside: its duration while it lasts, and each finished hold. */
    public interface Listener {
        Listener NONE = new Listener() {
            @Override
            public void holding(Duration heldFor) {
            }

            @Override
            public void held(Duration heldFor) {
            }
        };

        /** Called on every poll of a hold with the time held so far; {@link Duration#ZERO} when it ended. */
        void holding(Duration heldFor);

        /** Called once per batch that had to wait. */
        void held(Duration heldFor);
    }

    private final Snapshots snapshots;
    private final Duration warnAfter;
    private final Listener listener;
    private final Sleeper sleeper;
    private boolean haveHorizon;
    private int horizon;

    public CommitVisibility(Snapshots snapshots, Duration warnAfter, Listener listener) {
        this(snapshots, warnAfter, listener, nanos -> Thread.sleep(Duration.ofNanos(nanos)));
    }

    CommitVisibility(Snapshots snapshots, Duration warnAfter, Listener listener, Sleeper sleeper) {
        this.snapshots = snapshots;
        this.warnAfter = warnAfter;
        this.listener = listener;
        this.sleeper = sleeper;
    }

    /**
     * Returns once every transaction of {@code txIds} is visible to new snapshots.
     *
     * @throws VisibilityCheckException when the snapshot cannot be read (the batch is then not published, and the
     *                                  engine replays it)
     * @throws InterruptedException     on shutdown, while waiting
     */
    public void awaitVisible(long[] txIds) throws InterruptedException {
        if (txIds.length == 0 || allPrecedeHorizon(txIds)) {
            return;
        }
        long start = System.nanoTime();
        long pause = FIRST_PAUSE_NANOS;
        boolean waited = false;
        boolean warned = false;
        while (true) {
            Snapshot snapshot = read();
            advanceHorizon(snapshot.xmin());
            long pending = snapshot.firstInvisible(txIds);
            Duration held = Duration.ofNanos(System.nanoTime() - start);
            if (pending < 0) {
                if (waited) {
                    listener.holding(Duration.ZERO);
                    listener.held(held);
                    if (warned) {
                        LOG.info("Transaction(s) of the held batch are visible after {} ms; publishing",
                                held.toMillis());
                    }
                }
                return;
            }
            listener.holding(held);
            if (!warned && held.compareTo(warnAfter) >= 0) {
                warned = true;
                LOG.warn("Transaction {} is decoded but not yet visible to readers after {} ms; its invalidations are "
                        + "held back until it is, so no reader can fill its old rows back into the caches. Usually "
                        + "a synchronous standby (synchronous_standby_names) is not confirming: check "
                        + "pg_stat_replication and the sessions waiting on SyncRep in pg_stat_activity.",
                        pending, held.toMillis());
            }
            waited = true;
            sleeper.sleep(pause);
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }

    private Snapshot read() {
        String text;
        try {
            text = snapshots.current();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VisibilityCheckException("interrupted reading pg_current_snapshot()", e);
        } catch (Exception e) {
            throw new VisibilityCheckException("cannot read pg_current_snapshot() to check that the batch's "
                    + "transactions are visible: " + e.getMessage(), e);
        }
        return Snapshot.parse(text);
    }

    private boolean allPrecedeHorizon(long[] txIds) {
        if (!haveHorizon) {
            return false;
        }
        for (long id : txIds) {
            if (!precedes((int) id, horizon)) {
                return false;
            }
        }
        return true;
    }

    private void advanceHorizon(int xmin) {
        if (!haveHorizon || precedes(horizon, xmin)) {
            horizon = xmin;
            haveHorizon = true;
        }
    }

    /** Postgres' {@code TransactionIdPrecedes} for normal ids: modulo-2^32 comparison. */
    static boolean precedes(int a, int b) {
        return a - b < 0;
    }

    /** {@code pg_current_snapshot()} as 32-bit transaction ids. */
    record Snapshot(int xmin, int xmax, int[] inProgress) {
        static Snapshot parse(String text) {
            String[] parts = text == null ? new String[0] : text.split(":", -1);
            if (parts.length != 3) {
                throw new VisibilityCheckException("unexpected pg_current_snapshot() value '" + text + "'", null);
            }
            try {
                int[] xip = parts[2].isEmpty() ? new int[0]
                        : Arrays.stream(parts[2].split(",")).mapToInt(s -> (int) Long.parseLong(s.trim())).toArray();
                return new Snapshot((int) Long.parseLong(parts[0]), (int) Long.parseLong(parts[1]), xip);
            } catch (NumberFormatException e) {
                throw new VisibilityCheckException("unexpected pg_current_snapshot() value '" + text + "'", e);
            }
        }

        boolean visible(int xid) {
            if (precedes(xid, xmin)) {
                return true;
            }
            if (!precedes(xid, xmax)) {
                return false;
            }
            for (int running : inProgress) {
                if (running == xid) {
                    return false;
                }
            }
            return true;
        }

        /** The first id (as Postgres prints it) not visible in this snapshot, or -1. */
        long firstInvisible(long[] txIds) {
            for (long id : txIds) {
                if (!visible((int) id)) {
                    return Integer.toUnsignedLong((int) id);
                }
            }
            return -1;
        }
    }

    /** Pauses between polls; a seam for tests. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    /** The snapshot could not be read: the batch is not published (and so not committed), the engine replays it. */
    public static final class VisibilityCheckException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        VisibilityCheckException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
