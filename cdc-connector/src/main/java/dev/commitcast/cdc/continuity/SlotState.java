package dev.commitcast.cdc.continuity;

/**
 * The replication slot as {@code pg_replication_slots} shows it.
 *
 * @param plugin            its output plugin
 * @param confirmedFlushLsn the position its consumer confirmed; streaming resumes there at the earliest
 * @param walStatus         {@code reserved}, {@code extended}, {@code unreserved} or {@code lost} (WAL it needs was
 *                          removed, e.g. past {@code max_slot_wal_keep_size})
 * @param active            whether a process streams from it now
 */
record SlotState(String plugin, long confirmedFlushLsn, String walStatus, boolean active) {

    boolean lost() {
        return "lost".equals(walStatus);
    }
}
