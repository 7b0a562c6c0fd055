package dev.commitcast.keys;

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
 * v1 &lt;keyspace&gt; &lt;publisherId&gt; &lt;sequence&gt; &lt;sentAtEpochMillis&gt; [flush] [w=&lt;lsn&gt;@&lt;commitTime&gt;] [k=&lt;key&gt;,...] [n=&lt;namespace&gt;|...]
 *
 * v1 cc 0b7e2c1a-5d 17 1712345678901 w=23456789@2024-04-05T12:34:56.789012Z k=u42.9,l42,p42.7 n=org=43
 * v1 cc 0b7e2c1a-5d 18 1712345679901 w=23456790@2024-04-05T12:34:57Z            (a heartbeat)
 * </pre>
 * A key is {@code <code><orgId>[.<id>]} with code {@code s} settings, {@code r} roles, {@code p} role permissions,
 * {@code u} user, {@code l} user list; a namespace is its {@link Namespace#wire() wire form}; the commit time is
 * ISO-8601 ({@link Instant#toString()}). The key space is carried so that a message published on the wrong
 * channel (two environments sharing a Redis) is rejected rather than applied. The first token versions the format;
 * a receiver rejects versions it does not know.
 *
 * <p>The codec puts no limit on a message's size; publishers should split large invalidations into several
 * messages (each with its own sequence) to keep pub/sub payloads small.
 *
 * <p>Immutable and thread-safe.
 */
public final class EvictionCodec {

    /** The format version this codec writes and reads. */
    public static final String VERSION = "v1";

    private static final int HEADER_TOKENS = 5;
    private static final String FLUSH = "flush";
    private static final String WATERMARK = "w=";
    private static final String KEYS = "k=";
    private static final String NAMESPACES = "n=";
    /** Optional fields in their mandatory order. */
    private static final List<String> FIELD_ORDER = List.of(FLUSH, WATERMARK, KEYS, NAMESPACES);
    /** Key codes, indexed by {@link KeyKind#ordinal()}. */
    private static final String KIND_CODES = "srpul";

    private final KeySpace keySpace;

    /** Creates a codec for messages of the given key space. */
    public EvictionCodec(KeySpace keySpace) {
        this.keySpace = Objects.requireNonNull(keySpace, "keySpace");
    }

    /** Returns the message as one line (no line terminator). */
    public String encode(EvictionMessage message) {
        Objects.requireNonNull(message, "message");
        StringBuilder sb = new StringBuilder(64 + 16 * message.keys().size());
        sb.append(VERSION).append(' ').append(keySpace.prefix()).append(' ').append(message.publisherId())
                .append(' ').append(message.sequence()).append(' ').append(message.sentAtEpochMillis());
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
                appendKey(sb, key).append(',');
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
     * Decodes a line written by {@link #encode(EvictionMessage)}.
     *
     * @throws IllegalArgumentException quoting the line and naming the bad part: unknown version, other key space,
     *                                  missing or empty tokens, bad numbers, unknown, repeated or misordered fields
     */
    public EvictionMessage decode(String line) {
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
        if (!tokens[0].equals(VERSION)) {
            throw invalid(line, "unsupported version " + Quoting.quote(tokens[0]) + ", this codec reads " + VERSION);
        }
        if (!tokens[1].equals(keySpace.prefix())) {
            throw invalid(line, "message of key space " + Quoting.quote(tokens[1]) + ", this codec serves "
                    + Quoting.quote(keySpace.prefix()));
        }
        String publisherId = tokens[2];
        try {
            EvictionMessage.requirePublisherId(publisherId);
        } catch (IllegalArgumentException e) {
            throw invalid(line, e.getMessage());
        }
        long sequence = number(line, tokens[3], "sequence", 1);
        long sentAt = number(line, tokens[4], "sentAtEpochMillis", 0);
        return decodeFields(line, tokens, publisherId, sequence, sentAt);
    }

    private EvictionMessage decodeFields(String line, String[] tokens, String publisherId, long sequence,
                                         long sentAt) {
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
        return new EvictionMessage(publisherId, sequence, sentAt, keys, namespaces, watermark, flushAll);
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

    private Watermark watermark(String line, String value) {
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
        int start = 0;
        while (true) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? list.length() : comma;
            keys.add(key(line, list.substring(start, end)));
            if (comma < 0) {
                return keys;
            }
            start = comma + 1;
        }
    }

    private CacheKey key(String line, String text) {
        int code = text.isEmpty() ? -1 : KIND_CODES.indexOf(text.charAt(0));
        if (code < 0) {
            throw invalid(line, "key " + Quoting.quote(text) + " does not start with a kind code of "
                    + KIND_CODES);
        }
        KeyKind kind = KeyKind.values()[code];
        int dot = text.indexOf('.');
        if (kind.hasId() != (dot >= 0)) {
            throw invalid(line, "key " + Quoting.quote(text) + (kind.hasId() ? " lacks" : " must not have")
                    + " an id for kind " + kind);
        }
        long org = number(line, text.substring(1, dot < 0 ? text.length() : dot), "key org id", 1);
        long id = dot < 0 ? 0 : number(line, text.substring(dot + 1), "key id", 1);
        return new CacheKey(kind, org, id);
    }

    private List<Namespace> namespaces(String line, String list) {
        List<Namespace> namespaces = new ArrayList<>();
        int start = 0;
        while (true) {
            int bar = list.indexOf('|', start);
            int end = bar < 0 ? list.length() : bar;
            try {
                namespaces.add(Namespace.parseWire(list.substring(start, end)));
            } catch (IllegalArgumentException e) {
                throw invalid(line, e.getMessage());
            }
            if (bar < 0) {
                return namespaces;
            }
            start = bar + 1;
        }
    }

    private static StringBuilder appendKey(StringBuilder sb, CacheKey key) {
        sb.append(KIND_CODES.charAt(key.kind().ordinal())).append(key.orgId());
        return key.kind().hasId() ? sb.append('.').append(key.id()) : sb;
    }

    private long number(String line, String text, String what, long min) {
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
