package dev.commitcast.core.internal;

/**
 * Parses canonical decimal longs: ASCII digits, an optional leading {@code -} when allowed, no leading zero (except
 * {@code "0"} itself), no {@code "-0"}, no overflow. Canonical means a parsed value renders back to the same text
 * ({@link Long#toString(long)}), which is what makes the key and message codecs strict. Internal to Commitcast; not
 * an API. Stateless.
 */
public final class DecimalParser {

    /** Returned by the non-negative parsers when the text is not a canonical non-negative decimal long. */
    public static final long INVALID = -1;

    private DecimalParser() {
    }

    /** Parses {@code text[from, to)} as a non-negative value; {@link #INVALID} if it is not canonical. */
    public static long parse(CharSequence text, int from, int to) {
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

    /** Parses the whole text as a non-negative value; {@link #INVALID} as {@link #parse(CharSequence, int, int)}. */
    public static long parse(CharSequence text) {
        return parse(text, 0, text.length());
    }

    /**
     * Parses {@code text[from, to)} as a canonical signed long, {@code Long.MIN_VALUE} included.
     *
     * @throws NumberFormatException if it is not one
     */
    public static long parseSigned(CharSequence text, int from, int to) {
        boolean negative = from < to && text.charAt(from) == '-';
        int digits = negative ? from + 1 : from;
        if (digits >= to || (text.charAt(digits) == '0' && (to - digits > 1 || negative))) {
            throw notCanonical(text, from, to);
        }
        long value = 0; // accumulated negatively, so Long.MIN_VALUE fits
        for (int i = digits; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw notCanonical(text, from, to);
            }
            int digit = c - '0';
            if (value < (Long.MIN_VALUE + digit) / 10) {
                throw notCanonical(text, from, to);
            }
            value = value * 10 - digit;
        }
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                throw notCanonical(text, from, to);
            }
            value = -value;
        }
        return value;
    }

    private static NumberFormatException notCanonical(CharSequence text, int from, int to) {
        return new NumberFormatException(Quoting.quote(text.subSequence(from, to).toString())
                + " is not a canonical decimal integer");
    }
}
