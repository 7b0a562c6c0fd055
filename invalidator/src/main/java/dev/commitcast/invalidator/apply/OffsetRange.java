package dev.commitcast.invalidator.apply;

/**
 * The offsets of one partition's records in a batch, both inclusive.
 *
 * @param first offset of the first record
 * @param last  offset of the last record; the offset to commit is {@code last + 1}
 */
public record OffsetRange(long first, long last) {

    public OffsetRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("offset range [" + first + ".." + last + "] is invalid");
        }
    }

    /** Returns the range extended to the given offset. */
    public OffsetRange extendTo(long offset) {
        return new OffsetRange(first, Math.max(last, offset));
    }

    /** Returns the number of offsets in the range. */
    public long count() {
        return last - first + 1;
    }

    @Override
    public String toString() {
        return "[" + first + ".." + last + "]";
    }
}
