package dev.commitcast.api.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CachedResponsesTest {

    private static final String TAG = "\"abc\"";

    @Test
    void ifNoneMatchUsesWeakComparisonOverAList() {
        assertTrue(CachedResponses.matches(TAG, TAG));
        assertTrue(CachedResponses.matches("W/" + TAG, TAG));
        assertTrue(CachedResponses.matches("\"x\", " + TAG, TAG));
        assertTrue(CachedResponses.matches("*", TAG));
        assertFalse(CachedResponses.matches(null, TAG));
        assertFalse(CachedResponses.matches("\"abcd\"", TAG));
        assertFalse(CachedResponses.matches("abc", TAG), "tags are quoted");
    }
}
