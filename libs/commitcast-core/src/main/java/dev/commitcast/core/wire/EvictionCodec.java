package dev.commitcast.core.wire;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.Namespace;
import dev.commitcast.core.Rules;
import dev.commitcast.core.Watermark;
import dev.commitcast.core.internal.DecimalParser;
import dev.commitcast.core.internal.Quoting;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Encodes {@link EvictionMessage}s as single text lines for Redis pub/sub, and decodes them strictly.
 *
 * <p>Format (one space between tokens, optional fields in this order, each at most once, empty ones omitted):
 * <pre>
 * v2 &lt;prefix&gt; &lt;fingerprint&gt; &lt;publisherId&gt; &lt;sequence&gt; &lt;sentAtMillis&gt; [flush] [w=&lt;lsn&gt;@&lt;commitTime&gt;] [k=&lt;path&gt;,...] [n=&lt;namespace&gt;|...]
 *
 * v2 cc 3f2a9c0e11b2d4a7 0b7e2c1a-5d 17 1712345678901 w=23456789@2024-04-05T12:34:56.789012Z k=org:{42}:user:9,org:{42}:users:first n=tag=43
 * v2 cc 3f2a9c0e11b2d4a7 0b7e2c1a-5d 18 1712345679901 w=23456790@2024-04-05T12:34:57Z      (a heartbeat)
 * </pre>
 * A key is its path ({@link CacheKey#path()}, the Redis key without the {@code <prefix>:v<n>:} prefix); a namespace
 * is its {@link Namespace#wire() wire form}; the commit time is ISO-8601. Paths and namespaces never contain a space,
 * {@code ,} or {@code |} (text parts are percent-encoded). The key space prefix is carried so that a message published
 * on the wrong channel is rejected rather than applied; the rules fingerprint so that a receiver whose rules differ
 * can tell ({@link #header(String)}) before it tries to read keys it may not know. The first token versions the
 * format; a receiver rejects versions it does not know.
 *
 * <p>Immutable and thread-safe.
 */
public final class EvictionCodec {

    /** The format version this codec writes and reads. */
    public static final String VERSION = "v2";

    private static final int HEADER_TOKENS = 6;
    private static final String FLUSH = "flush";
    private static final String WATERMARK = "w=";
    private static final String KEYS = "k=";
    private static final String NAMESPACES = "n=";
    private static final List<String> FIELD_ORDER = List.of(FLUSH, WATERMARK, KEYS, NAMESPACES);

    /**
     * The fixed part of a message, readable whatever the publisher's rules.
     *
     * @param prefix           the key space prefix
     * @param rulesFingerprint the publisher's rules fingerprint
     * @param publisherId      the publisher incarnation
     * @param sequence         the message's sequence number
     * @param sentAtMillis     when it was sent
     */
    public record Header(String prefix, String rulesFingerprint, String publisherId, long sequence,
                         long sentAtMillis) {
    }

    private final Rules rules;
    private final String prefix;

    /** Creates a codec for messages of these rules, in their key space. */
    public EvictionCodec(Rules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.prefix = rules.keySpace().prefix();
    }

    /** Returns the message as one line (no line terminator). */
    public String encode(EvictionMessage message) {
        Objects.requireNonNull(message, "message");
        StringBuilder sb = new StringBuilder(96 + 24 * message.keys().size());
        sb.append(VERSION).append(' ').append(prefix).append(' ').append(message.rulesFingerprint()).append(' ')
                .append(message.publisherId()).append(' ').append(message.sequence()).append(' ')
                .append(message.sentAtEpochMillis());
        if (message.flushAll()) {
            sb.append(' ').append(FLUSH);
        }
        Watermark watermark = message.watermark();
        if (watermark != null) {
            sb.append(' ').append(WATERMARK).append(watermark.lsn()).append('@').append(watermark.commitTime());
        }
        if (!message.keys().isEmpty()) {
            sb.append(' ').append(KEYS);
            for (CacheKey key : message.keys()) {
                sb.append(key.path()).append(',');
            }
            sb.setLength(sb.length() - 1);
        }
        if (!message.namespaces().isEmpty()) {
            sb.append(' ').append(NAMESPACES);
            for (Namespace namespace : message.namespaces()) {
                sb.append(namespace.wire()).append('|');
            }
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }

    /**
     * Decodes the header of a line: version, key space, fingerprint, publisher, sequence, send time.
     *
     * @throws IllegalArgumentException quoting the line and naming the bad part
     */
    public Header header(String line) {
        String[] tokens = tokens(line);
        return header(line, tokens);
    }

    private Header header(String line, String[] tokens) {
        if (!tokens[0].equals(VERSION)) {
            throw invalid(line, "unsupported version " + Quoting.quote(tokens[0]) + ", this codec reads " + VERSION);
        }
        if (!tokens[1].equals(prefix)) {
            throw invalid(line, "message of key space " + Quoting.quote(tokens[1]) + ", this codec serves "
                    + Quoting.quote(prefix));
        }
        try {
            EvictionMessage.requireToken("rulesFingerprint", tokens[2]);
            EvictionMessage.requireToken("publisherId", tokens[3]);
        } catch (IllegalArgumentException e) {
            throw invalid(line, e.getMessage());
        }
        return new Header(tokens[1], tokens[2], tokens[3], number(line, tokens[4], "sequence", 1),
                number(line, tokens[5], "sentAtEpochMillis", 0));
    }

    /**
     * Decodes a line written by {@link #encode(EvictionMessage)} under the same rules.
     *
     * @throws IllegalArgumentException quoting the line and naming the bad part: unknown version, other key space,
     *                                  other rules fingerprint, missing or empty tokens, bad numbers, unknown,
     *                                  repeated or misordered fields, a key or namespace these rules do not know
     */
    public EvictionMessage decode(String line) {
        String[] tokens = tokens(line);
        Header header = header(line, tokens);
        if (!header.rulesFingerprint().equals(rules.fingerprint())) {
            throw invalid(line, "published under rules " + header.rulesFingerprint() + ", these rules are "
                    + rules.fingerprint());
        }
        boolean flushAll = false;
        Watermark watermark = null;
        List<CacheKey> keys = List.of();
        List<Namespace> namespaces = List.of();
        int lastField = -1;
        for (int i = HEADER_TOKENS; i < tokens.length; i++) {
            String token = tokens[i];
            int field = fieldOf(token);
            if (field < 0) {
                throw invalid(line, "unknown field " + Quoting.quote(token));
            }
            if (field <= lastField) {
                throw invalid(line, "field " + Quoting.quote(token) + " repeated or out of order; order is "
                        + "flush, w=, k=, n=");
            }
            lastField = field;
            switch (field) {
                case 0 -> flushAll = true;
                case 1 -> watermark = watermark(line, token.substring(WATERMARK.length()));
                case 2 -> keys = keys(line, token.substring(KEYS.length()));
                default -> namespaces = namespaces(line, token.substring(NAMESPACES.length()));
            }
        }
        return new EvictionMessage(header.rulesFingerprint(), header.publisherId(), header.sequence(),
                header.sentAtMillis(), keys, namespaces, watermark, flushAll);
    }

    private static String[] tokens(String line) {
        Objects.requireNonNull(line, "line");
        String[] tokens = line.split(" ", -1);
        if (tokens.length < HEADER_TOKENS) {
            throw invalid(line, "expected at least " + HEADER_TOKENS + " space-separated tokens, got "
                    + tokens.length);
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i].isEmpty()) {
                throw invalid(line, "empty token " + i + " (leading, trailing or double space)");
            }
        }
        return tokens;
    }

    private static int fieldOf(String token) {
        if (token.equals(FLUSH)) {
            return 0;
        }
        for (int i = 1; i < FIELD_ORDER.size(); i++) {
            if (token.startsWith(FIELD_ORDER.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static Watermark watermark(String line, String value) {
        int at = value.indexOf('@');
        if (at < 0) {
            throw invalid(line, "watermark " + Quoting.quote(value) + " is not <lsn>@<commitTime>");
        }
        long lsn = number(line, value.substring(0, at), "watermark lsn", 0);
        try {
            return new Watermark(lsn, Instant.parse(value.substring(at + 1)));
        } catch (DateTimeParseException e) {
            throw invalid(line, "watermark commit time " + Quoting.quote(value.substring(at + 1))
                    + " is not an ISO-8601 instant");
        }
    }

    private List<CacheKey> keys(String line, String list) {
        List<CacheKey> keys = new ArrayList<>();
        for (String path : list.split(",", -1)) {
            CacheKey key = rules.tryParseKey(path);
            if (key == null) {
                throw invalid(line, "key " + Quoting.quote(path) + " is no key of the rules");
            }
            keys.add(key);
        }
        return keys;
    }

    private List<Namespace> namespaces(String line, String list) {
        List<Namespace> namespaces = new ArrayList<>();
        for (String wire : list.split("\\|", -1)) {
            try {
                namespaces.add(rules.parseNamespace(wire));
            } catch (IllegalArgumentException e) {
                throw invalid(line, e.getMessage());
            }
        }
        return namespaces;
    }

    private static long number(String line, String text, String what, long min) {
        long value = DecimalParser.parse(text);
        if (value < min) {
            throw invalid(line, what + " " + Quoting.quote(text) + " is not a canonical decimal >= " + min);
        }
        return value;
    }

    private static IllegalArgumentException invalid(String line, String reason) {
        return new IllegalArgumentException("invalid eviction message " + Quoting.quote(line) + ": " + reason);
    }
}
