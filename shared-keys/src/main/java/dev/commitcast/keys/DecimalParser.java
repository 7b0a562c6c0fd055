package dev.commitcast.keys;

/**
 * Parses canonical non-negative decimal longs: ASCII digits only, no sign, no leading zero (except {@code "0"}
 * itself), no overflow. Canonical means a parsed value renders back to the same text, which is what makes the
 * key and message codecs strict. Stateless.
 */
final class DecimalParser {

    /** Returned when the text is not a canonical non-negative decimal long. */
    static final long INVALID = -1;

    private DecimalParser() {
    }

    /** Parses {@code text[from, to)}; returns {@link #INVALID} if it is empty, non-canonical or overflows. */
    static long parse(CharSequence text, int from, int to) {
        if (from >= to || (text.charAt(from) == '0' && to - from > 1)) {
            return INVALID;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return INVALID;
            }
            int digit = c - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return INVALID;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** Parses the whole text; returns {@link #INVALID} as {@link #parse(CharSequence, int, int)} does. */
    static long parse(CharSequence text) {
        return parse(text, 0, text.length());
    }
}
