package dev.commitcast.core;

import java.time.Instant;
import java.util.Objects;

/**
 * How far the invalidator has applied the change stream: every change committed at or before {@code lsn} has had its
 * Redis keys deleted by the time a message carrying this watermark is published. Receivers use it to measure
 * end-to-end lag ({@code now - commitTime}). Immutable.
 *
 * @param lsn        the log sequence number of the last applied commit, {@code >= 0}
 * @param commitTime when that transaction committed
 */
public record Watermark(long lsn, Instant commitTime) {

    /** Validates the components. */
    public Watermark {
        if (lsn < 0) {
            throw new IllegalArgumentException("lsn must be >= 0, was " + lsn);
        }
        Objects.requireNonNull(commitTime, "commitTime");
    }

    /**
     * Whether this watermark is later than {@code other}: a later commit time, or the same commit time and a higher
     * LSN. Ordered by commit time because a continuity reset may start LSNs again lower (another database cluster),
     * while commit times keep increasing; within one stream the two orders agree.
     */
    public boolean isAfter(Watermark other) {
        int byTime = commitTime.compareTo(other.commitTime);
        return byTime > 0 || (byTime == 0 && lsn > other.lsn);
    }

    /**
     * A key whose string order is {@link #isAfter}'s order (fixed-width commit micros, then LSN), for stores that
     * compare strings, e.g. a Lua script.
     */
    public String orderKey() {
        long micros = java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, commitTime);
        return String.format(java.util.Locale.ROOT, "%020d:%020d", micros, lsn);
    }

    /** The text form {@code <lsn>@<commitTime ISO-8601>}, as stored under {@link KeySpace#watermarkKey()} and in watermark markers. */
    public String wire() {
        return lsn + "@" + commitTime;
    }

    /** Parses {@link #wire()}; {@link IllegalArgumentException} quoting the input when it is not one. */
    public static Watermark parseWire(String text) {
        int at = text == null ? -1 : text.indexOf('@');
        if (at <= 0) {
            throw new IllegalArgumentException("not a watermark (<lsn>@<commitTime>): '" + text + "'");
        }
        try {
            return new Watermark(Long.parseLong(text.substring(0, at)), Instant.parse(text.substring(at + 1)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a watermark (<lsn>@<commitTime>): '" + text + "'", e);
        }
    }

    private static boolean hex(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Postgres' text form of an LSN, {@code X/Y} in upper-case hex, as {@code pg_current_wal_lsn()} prints it. */
    public static String pgLsn(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase(java.util.Locale.ROOT) + "/"
                + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase(java.util.Locale.ROOT);
    }

    /**
     * Parses Postgres' text form of an LSN ({@code 0/1D88F10}, either case) into the unsigned 64-bit position.
     *
     * @throws IllegalArgumentException quoting the input when it is not an LSN
     */
    public static long parsePgLsn(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 1 || slash > 8 || text.length() - slash - 1 < 1 || text.length() - slash - 1 > 8
                || !hex(text, 0, slash) || !hex(text, slash + 1, text.length())) {
            throw new IllegalArgumentException("not a Postgres LSN (X/Y in hex, e.g. 0/1D88F10): '" + text + "'");
        }
        try {
            return Long.parseLong(text.substring(0, slash), 16) << 32 | Long.parseLong(text.substring(slash + 1), 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a Postgres LSN (X/Y in hex, e.g. 0/1D88F10): '" + text + "'", e);
        }
    }
}
