package dev.commitcast.api.http;

import java.util.Arrays;
import java.util.Objects;

/**
 * Where each item of a cached first page ends in its JSON body, and the item ids, so that a page of {@code n <= size}
 * items is {@code body[0, itemEnd(n - 1))} followed by a closing suffix, and its cursor is {@code itemId(n - 1)}.
 *
 * <p>Immutable: the arrays are copied.
 */
public final class PageIndex {

    private final int[] itemEnds;
    private final long[] itemIds;
    private final boolean hasMore;

    /**
     * @param itemEnds offsets just past each item in the body, strictly increasing
     * @param itemIds  the items' ids, strictly increasing (keyset order)
     * @param hasMore  whether rows exist after the last item
     */
    public PageIndex(int[] itemEnds, long[] itemIds, boolean hasMore) {
        Objects.requireNonNull(itemEnds, "itemEnds");
        Objects.requireNonNull(itemIds, "itemIds");
        if (itemEnds.length != itemIds.length) {
            throw new IllegalArgumentException("itemEnds and itemIds differ in length: " + itemEnds.length
                    + " vs " + itemIds.length);
        }
        for (int i = 1; i < itemEnds.length; i++) {
            if (itemEnds[i] <= itemEnds[i - 1] || itemIds[i] <= itemIds[i - 1]) {
                throw new IllegalArgumentException("page index not strictly increasing at item " + i);
            }
        }
        this.itemEnds = itemEnds.clone();
        this.itemIds = itemIds.clone();
        this.hasMore = hasMore;
    }

    /** Returns the number of items. */
    public int size() {
        return itemEnds.length;
    }

    /** Returns the offset just past item {@code i} (0-based). */
    public int itemEnd(int i) {
        return itemEnds[i];
    }

    /** Returns the id of item {@code i} (0-based). */
    public long itemId(int i) {
        return itemIds[i];
    }

    /** Returns whether rows exist after the last item. */
    public boolean hasMore() {
        return hasMore;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PageIndex other && hasMore == other.hasMore && Arrays.equals(itemEnds, other.itemEnds)
                && Arrays.equals(itemIds, other.itemIds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(itemEnds) * 31 + Arrays.hashCode(itemIds) + (hasMore ? 1 : 0);
    }
}
