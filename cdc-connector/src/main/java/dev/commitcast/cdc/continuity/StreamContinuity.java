package dev.commitcast.cdc.continuity;

import dev.commitcast.cdc.CdcException;
import dev.commitcast.cdc.CdcSettings;
import dev.commitcast.events.ContinuityReset;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves, before every start of the Debezium engine, that the change stream continues exactly where the stored
 * position left it — and when it cannot, makes the loss harmless instead of streaming past it or refusing forever.
 *
 * <p>A break is any of: no stored position (a first start, or the offsets were lost: changes before the slot existed
 * are unknown), the slot is missing (dropped, a failover to a server without it, a restore) or has lost WAL
 * ({@code wal_status = lost}), the slot confirmed a position past the stored one (offsets restored from a backup),
 * the database cluster or timeline differs from the one the position was recorded on (another server, a promoted
 * standby), or Debezium refused the stored position.
 *
 * <p>On a break with {@code on-continuity-loss = resync} (the default): a slot that cannot be streamed from is dropped
 * and a missing one created, so changes from now on are retained; the stored position is removed (the engine starts
 * at the slot); then a {@link ContinuityReset} is written to every partition of every change topic and acknowledged
 * by Kafka — before any change streamed from the new position — so every invalidator invalidates everything before
 * the watermark moves again; then the database's identity is recorded beside the position. Each step is safe to
 * repeat after a crash (a repeated check finds the break again and writes another reset). With
 * {@code on-continuity-loss = fail} the connector stops with a {@link ContinuityLostException} saying what was found.
 *
 * <p>Not thread-safe: called by the engine supervisor before each run; {@link #positionRefused} from any thread.
 */
public final class StreamContinuity {

    private static final Logger LOG = LoggerFactory.getLogger(StreamContinuity.class);

    /** Writes a reset to every partition of every change topic and returns once Kafka acknowledged them all. */
    public interface Resets {
        void publish(ContinuityReset reset);
    }

    /** Told of every reset written. */
    public interface Listener {
        void reset(ContinuityReset reset);
    }

    private record Break(String reason, String detail) {
    }

    private final CdcSettings settings;
    private final String rulesFingerprint;
    private final Resets resets;
    private final Listener listener;
    private final Clock clock;
    private final PostgresStream postgres;
    private volatile String refused;

    public StreamContinuity(CdcSettings settings, String rulesFingerprint, Resets resets, Listener listener,
                            Clock clock) {
        this.settings = settings;
        this.rulesFingerprint = rulesFingerprint;
        this.resets = resets;
        this.listener = listener;
        this.clock = clock;
        this.postgres = new PostgresStream(settings);
    }

    /** Debezium refused the stored position (e.g. "no longer available on the server"): the next check resets. */
    public void positionRefused(String message) {
        refused = message;
    }

    /**
     * Returns once the engine may start from the stored position (after a reset, if one was needed).
     *
     * @throws ContinuityLostException on a break with {@code on-continuity-loss = fail}
     * @throws CdcException            when Postgres, the offset store or Kafka fail (retriable)
     */
    public void ensure() {
        try {
            StreamIdentity server = postgres.identify();
            Optional<SlotState> slot = postgres.slot();
            try (OffsetStoreAccess offsets = OffsetStoreAccess.open(settings)) {
                Break found = check(offsets.sourceOffset(), offsets.identity(), server, slot);
                if (found == null) {
                    return;
                }
                LOG.warn("The change stream cannot be proven continuous: {} ({})", found.detail(), found.reason());
                if (settings.onContinuityLoss() == CdcSettings.OnContinuityLoss.FAIL) {
                    throw new ContinuityLostException(found.reason(), found.detail() + ". Changes may have been "
                            + "missed, so cached values may be stale. commitcast.cdc.on-continuity-loss = fail stops "
                            + "here; set it to resync to invalidate every cache and resume from a new slot");
                }
                resync(found, server, slot, offsets);
            }
        } catch (SQLException e) {
            throw new CdcException("Cannot check the change stream's continuity at " + settings.postgres().describe()
                    + ": " + e.getMessage(), e);
        }
    }

    private Break check(Map<String, Object> offset, StreamIdentity recorded, StreamIdentity server,
                        Optional<SlotState> slot) {
        String slotName = settings.slotName();
        if (refused != null) {
            return new Break(ContinuityReset.POSITION_REFUSED, "Debezium refused the stored position: " + refused);
        }
        if (offset == null) {
            return new Break(ContinuityReset.NO_OFFSET, "no stored position for " + settings.engineName()
                    + " (a first start, or the offsets were lost): changes before slot " + slotName
                    + " existed are unknown");
        }
        if (slot.isEmpty()) {
            return new Break(ContinuityReset.SLOT_MISSING, "replication slot " + slotName + " does not exist (dropped,"
                    + " a failover to a server without it, a restore): changes since the stored position are gone");
        }
        if (slot.get().lost()) {
            return new Break(ContinuityReset.SLOT_LOST, "replication slot " + slotName + " lost WAL it needed "
                    + "(wal_status = lost, e.g. past max_slot_wal_keep_size)");
        }
        if (recorded == null) {
            return new Break(ContinuityReset.DATABASE_CHANGED, "no database identity is recorded beside the stored "
                    + "position, so it cannot be tied to " + server);
        }
        if (!recorded.equals(server)) {
            return new Break(ContinuityReset.DATABASE_CHANGED, "the stored position belongs to " + recorded
                    + ", the server is " + server + " (another cluster, or a promoted standby)");
        }
        long stored = storedLsn(offset);
        if (slot.get().confirmedFlushLsn() > stored) {
            return new Break(ContinuityReset.BEHIND_SLOT, "slot " + slotName + " confirmed position "
                    + slot.get().confirmedFlushLsn() + ", past the stored position " + stored
                    + " (offsets restored from a backup, or another reader of the slot)");
        }
        return null;
    }

    /** The furthest position the stored offset vouches for (Debezium confirms the commit or processed LSN). */
    private static long storedLsn(Map<String, Object> offset) {
        long lsn = -1;
        for (String field : new String[] {"lsn", "lsn_proc", "lsn_commit"}) {
            if (offset.get(field) instanceof Number n) {
                lsn = Math.max(lsn, n.longValue());
            }
        }
        return lsn;
    }

    private void resync(Break found, StreamIdentity server, Optional<SlotState> slot, OffsetStoreAccess offsets)
            throws SQLException {
        boolean unusable = slot.isPresent() && (slot.get().lost()
                || ContinuityReset.DATABASE_CHANGED.equals(found.reason()));
        if (unusable) {
            if (slot.get().active()) {
                throw new CdcException("Replication slot " + settings.slotName() + " must be recreated but another "
                        + "process streams from it; retrying");
            }
            postgres.dropSlot();
            LOG.warn("Dropped replication slot {}", settings.slotName());
        }
        if (slot.isEmpty() || unusable) {
            long at = postgres.createSlot();
            LOG.warn("Created replication slot {} at LSN {}: changes from now on are captured", settings.slotName(),
                    at);
        }
        offsets.restart(server);
        ContinuityReset reset = new ContinuityReset(UUID.randomUUID().toString(), found.reason(), found.detail(),
                clock.instant(), rulesFingerprint);
        resets.publish(reset);
        refused = null;
        listener.reset(reset);
        LOG.warn("Continuity reset {} written to every change topic partition: every invalidator invalidates "
                + "everything before its watermark moves; streaming resumes from slot {}", reset.id(),
                settings.slotName());
    }
}
