package dev.commitcast.core;

import dev.commitcast.core.internal.DecimalParser;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * The type of one part of a cache key, as the rules file declares it ({@code bigint}, {@code int}, {@code text},
 * {@code uuid}), with its one canonical text form inside a key:
 * <ul>
 *   <li>{@code bigint}, {@code int}: the decimal integer ({@code -7}, {@code 42}), no leading zeros;</li>
 *   <li>{@code uuid}: the 36-character lower-case form;</li>
 *   <li>{@code text}: the string with every character other than {@code A-Z a-z 0-9 - _ . ~} percent-encoded as
 *       UTF-8 ({@code %3A} for {@code :}), and the empty string as a lone {@code %}. So a text part never contains a
 *       key separator, a Redis glob metacharacter, a hash-tag brace or a wire-format separator, and is never
 *       empty (an empty hash tag would make Redis Cluster hash the whole key).</li>
 * </ul>
 * Values are accepted from application code and from change events alike: integers as any integral {@link Number}
 * or a canonical decimal string, UUIDs as {@link UUID} or their string form in any case, text as a
 * {@link CharSequence}. Anything else is an {@link IllegalArgumentException} naming the value and the type.
 */
public enum PartType {
    /** A 64-bit signed integer (Postgres {@code bigint}, {@code int}, {@code smallint}). */
    BIGINT("bigint"),
    /** A 32-bit signed integer (Postgres {@code int}, {@code smallint}). */
    INT("int"),
    /** A string (Postgres {@code text}, {@code varchar}, {@code char}). */
    TEXT("text"),
    /** A UUID (Postgres {@code uuid}). */
    UUID("uuid");

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String yamlName;

    PartType(String yamlName) {
        this.yamlName = yamlName;
    }

    /** Returns the name used in the rules file, e.g. {@code bigint}. */
    public String yamlName() {
        return yamlName;
    }

    /** Returns the type of a rules-file name, or {@code null}. */
    static PartType named(String name) {
        for (PartType type : values()) {
            if (type.yamlName.equals(name)) {
                return type;
            }
        }
        return null;
    }

    /**
     * Appends the canonical text of a value of this type.
     *
     * @throws IllegalArgumentException naming the value, if it is not a value of this type
     */
    void render(Object value, StringBuilder out) {
        switch (this) {
            case BIGINT -> out.append(integer(value));
            case INT -> out.append(intValue(value));
            case UUID -> out.append(uuid(value));
            case TEXT -> encodeText(text(value), out);
        }
    }

    /** Returns the canonical text of a value of this type; see {@link #render(Object, StringBuilder)}. */
    public String render(Object value) {
        StringBuilder out = new StringBuilder(24);
        render(value, out);
        return out.toString();
    }

    /**
     * Parses the canonical text of {@code s[from, to)} back into a value: {@link Long}, {@link Integer},
     * {@link String} or {@link java.util.UUID}.
     *
     * @throws IllegalArgumentException if it is not the canonical text of a value of this type
     */
    Object parse(String s, int from, int to) {
        return switch (this) {
            case BIGINT -> DecimalParser.parseSigned(s, from, to);
            case INT -> {
                long v = DecimalParser.parseSigned(s, from, to);
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(s.substring(from, to) + " is out of the int range");
                }
                yield (int) v;
            }
            case UUID -> {
                String text = s.substring(from, to);
                java.util.UUID parsed = parseUuid(text);
                if (!parsed.toString().equals(text)) {
                    throw new IllegalArgumentException("\"" + text + "\" is not a canonical lower-case uuid");
                }
                yield parsed;
            }
            case TEXT -> decodeText(s, from, to);
        };
    }

    /** Returns whether {@code s[from, to)} is the canonical text of some value of this type. */
    boolean accepts(String s, int from, int to) {
        try {
            parse(s, from, to);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private long integer(Object value) {
        return switch (value) {
            case Long l -> l;
            case Integer i -> i;
            case Short s -> s;
            case Byte b -> b;
            case BigInteger b -> exact(() -> b.longValueExact(), value);
            case BigDecimal d -> exact(() -> d.longValueExact(), value);
            case String s -> {
                try {
                    yield DecimalParser.parseSigned(s, 0, s.length());
                } catch (NumberFormatException e) {
                    throw mismatch(value, "an integer");
                }
            }
            case null -> throw mismatch(null, "an integer");
            default -> throw mismatch(value, "an integer");
        };
    }

    private int intValue(Object value) {
        long v = integer(value);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("value " + v + " is out of the range of part type int");
        }
        return (int) v;
    }

    private static long exact(java.util.function.LongSupplier conversion, Object value) {
        try {
            return conversion.getAsLong();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("value " + value + " is not a 64-bit integer");
        }
    }

    private String uuid(Object value) {
        return switch (value) {
            case java.util.UUID u -> u.toString();
            case String s -> parseUuid(s.strip()).toString();
            case null -> throw mismatch(null, "a uuid");
            default -> throw mismatch(value, "a uuid");
        };
    }

    private static java.util.UUID parseUuid(String s) {
        // UUID.fromString accepts short groups ("1-2-3-4-5"); only the 36-character form is a uuid
        if (s.length() != 36 || s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-'
                || s.charAt(23) != '-') {
            throw new IllegalArgumentException("\"" + s + "\" is not a uuid (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
        }
        try {
            return java.util.UUID.fromString(s.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + s + "\" is not a uuid (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
        }
    }

    private String text(Object value) {
        if (value instanceof CharSequence chars) {
            return chars.toString();
        }
        throw mismatch(value, "a string");
    }

    private IllegalArgumentException mismatch(Object value, String expected) {
        return new IllegalArgumentException("part type " + yamlName + " needs " + expected + ", got "
                + (value == null ? "null" : value.getClass().getSimpleName() + " " + value));
    }

    private static boolean unreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                || c == '.' || c == '~';
    }

    static void encodeText(String text, StringBuilder out) {
        if (text.isEmpty()) {
            out.append('%');
            return;
        }
        int n = text.length();
        int i = 0;
        while (i < n && unreserved(text.charAt(i))) {
            i++;
        }
        if (i == n) {
            out.append(text); // the common case: nothing to escape
            return;
        }
        out.append(text, 0, i);
        for (byte b : strictUtf8(text, i)) {
            int c = b & 0xff;
            if (unreserved(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
    }

    /** UTF-8 of {@code text[from..]}; a lone surrogate is refused (getBytes would turn it into '?', a collision). */
    private static byte[] strictUtf8(String text, int from) {
        try {
            java.nio.ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .encode(java.nio.CharBuffer.wrap(text, from, text.length()));
            byte[] out = new byte[bytes.remaining()];
            bytes.get(out);
            return out;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("text with an unpaired UTF-16 surrogate cannot be a key part", e);
        }
    }

    private static String decodeText(String s, int from, int to) {
        if (to - from == 1 && s.charAt(from) == '%') {
            return "";
        }
        if (from >= to) {
            throw new IllegalArgumentException("an empty text part is written as a lone %");
        }
        byte[] bytes = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= to) {
                    throw new IllegalArgumentException("truncated escape in \"" + s.substring(from, to) + "\"");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad escape in \"" + s.substring(from, to) + "\"");
                }
                bytes[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (unreserved(c)) {
                bytes[n++] = (byte) c;
            } else {
                throw new IllegalArgumentException("character '" + c + "' must be percent-encoded in a text part");
            }
        }
        String decoded = new String(bytes, 0, n, StandardCharsets.UTF_8);
        StringBuilder canonical = new StringBuilder(to - from);
        encodeText(decoded, canonical);
        if (!canonical.toString().contentEquals(s.subSequence(from, to))) {
            throw new IllegalArgumentException("\"" + s.substring(from, to) + "\" is not canonically encoded (is "
                    + canonical + ")");
        }
        return decoded;
    }
}
