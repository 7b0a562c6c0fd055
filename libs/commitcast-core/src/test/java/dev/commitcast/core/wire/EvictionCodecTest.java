package dev.commitcast.core.wire;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.Rules;
import dev.commitcast.core.Watermark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class EvictionCodecTest {

    private static final Rules RULES = Rules.load(root().resolve("examples/orgs-demo/rules.yml"));
    private static final String FP = RULES.fingerprint();
    private static final String PUB = "0b7e2c1a-5d";
    private static final long SENT = 1_712_345_678_901L;
    private static final Watermark WATERMARK =
            new Watermark(23_456_789, Instant.parse("2024-04-05T12:34:56.789012Z"));

    private final EvictionCodec codec = new EvictionCodec(RULES);

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(dir.resolve("examples"))) {
            dir = dir.getParent();
        }
        return dir;
    }

    private static CacheKey key(String kind, Object... parts) {
        return RULES.kind(kind).key(parts);
    }

    static Stream<Arguments> messages() {
        List<CacheKey> everyKind = List.of(key("settings", 1), key("roles", 2), key("role_permissions", 3, 4),
                key("user", 5, 6), key("user_list", 7));
        return Stream.of(
                arguments("heartbeat with watermark", EvictionMessage.heartbeat(FP, PUB, 1, SENT, WATERMARK)),
                arguments("heartbeat before any watermark", EvictionMessage.heartbeat(FP, PUB, 2, 0, null)),
                arguments("flushAll", new EvictionMessage(FP, PUB, 3, SENT, List.of(), List.of(), WATERMARK, true)),
                arguments("every key kind", new EvictionMessage(FP, PUB, 4, SENT, everyKind, List.of(), WATERMARK,
                        false)),
                arguments("namespaces only", new EvictionMessage(FP, PUB, 5, SENT, List.of(),
                        List.of(RULES.everything(), RULES.parseNamespace("tag=42"),
                                RULES.parseNamespace("kinds=user,user_list"),
                                RULES.parseNamespace("tag=42;kinds=settings")), null, false)),
                arguments("extremes", new EvictionMessage(FP, "p_1", Long.MAX_VALUE, Long.MAX_VALUE,
                        List.of(key("user", Long.MIN_VALUE, Long.MAX_VALUE)), List.of(RULES.parseNamespace("tag=9")),
                        new Watermark(Long.MAX_VALUE, Instant.ofEpochSecond(1, 1)), true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void roundTrips(String name, EvictionMessage message) {
        String line = codec.encode(message);
        assertEquals(message, codec.decode(line));
        assertFalse(line.contains("\n") || line.contains("  "), line);
    }

    @Test
    void encodesTheDocumentedFormat() {
        EvictionMessage message = new EvictionMessage(FP, PUB, 17, SENT,
                List.of(key("user", 42, 9), key("user_list", 42), key("role_permissions", 42, 7)),
                List.of(RULES.parseNamespace("tag=43"), RULES.parseNamespace("kinds=user,user_list")), WATERMARK,
                false);
        assertEquals("v2 cc " + FP + " 0b7e2c1a-5d 17 1712345678901 w=23456789@2024-04-05T12:34:56.789012Z "
                + "k=org:{42}:user:9,org:{42}:users:first,org:{42}:role:7:perms n=tag=43|kinds=user,user_list",
                codec.encode(message));
        assertEquals("v2 cc " + FP + " 0b7e2c1a-5d 18 1712345678901 flush",
                codec.encode(new EvictionMessage(FP, PUB, 18, SENT, List.of(), List.of(), null, true)));
    }

    @Test
    void theHeaderIsReadableWhateverThePublishersRules() {
        String foreign = "v2 cc 0123456789abcdef p 7 5 k=org:{1}:whatever";
        EvictionCodec.Header header = codec.header(foreign);
        assertEquals(new EvictionCodec.Header("cc", "0123456789abcdef", "p", 7, 5), header);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.decode(foreign));
        assertTrue(e.getMessage().contains("published under rules 0123456789abcdef, these rules are " + FP),
                e.getMessage());
    }

    @Test
    void heartbeatIsAMessageThatEvictsNothing() {
        assertTrue(codec.decode("v2 cc " + FP + " p 1 0").isHeartbeat());
        assertFalse(codec.decode("v2 cc " + FP + " p 1 0 flush").isHeartbeat());
        assertFalse(codec.decode("v2 cc " + FP + " p 1 0 k=org:{1}:settings").isHeartbeat());
        assertFalse(codec.decode("v2 cc " + FP + " p 1 0 n=*").isHeartbeat());
    }

    static Stream<Arguments> invalidLines() {
        String h = "v2 cc " + FP + " p 1 0";
        return Stream.of(
                arguments("", "expected at least 6 space-separated tokens, got 1"),
                arguments("v2 cc " + FP + " p 1", "expected at least 6 space-separated tokens, got 5"),
                arguments("v1 cc " + FP + " p 1 0", "unsupported version \"v1\", this codec reads v2"),
                arguments("v2 it-1 " + FP + " p 1 0", "message of key space \"it-1\", this codec serves \"cc\""),
                arguments("v2  cc " + FP + " p 1 0", "empty token 1 (leading, trailing or double space)"),
                arguments(h + " ", "empty token 6 (leading, trailing or double space)"),
                arguments("v2 cc " + FP + " p!x 1 0", "publisherId \"p!x\" has an illegal character at index 1"),
                arguments("v2 cc " + FP + " p 0 0", "sequence \"0\" is not a canonical decimal >= 1"),
                arguments("v2 cc " + FP + " p 01 0", "sequence \"01\" is not a canonical decimal >= 1"),
                arguments("v2 cc " + FP + " p 1 -1", "sentAtEpochMillis \"-1\" is not a canonical decimal >= 0"),
                arguments(h + " x=1", "unknown field \"x=1\""),
                arguments(h + " flush flush", "field \"flush\" repeated or out of order"),
                arguments(h + " k=org:{1}:settings w=1@2024-01-01T00:00:00Z", "repeated or out of order"),
                arguments(h + " w=1", "watermark \"1\" is not <lsn>@<commitTime>"),
                arguments(h + " w=x@2024-01-01T00:00:00Z", "watermark lsn \"x\" is not a canonical decimal >= 0"),
                arguments(h + " w=1@yesterday", "watermark commit time \"yesterday\" is not an ISO-8601 instant"),
                arguments(h + " k=", "key \"\" is no key of the rules"),
                arguments(h + " k=org:{1}:settings,,org:{2}:settings", "key \"\" is no key of the rules"),
                arguments(h + " k=org:{42}:user", "key \"org:{42}:user\" is no key of the rules"),
                arguments(h + " k=org:{042}:settings", "key \"org:{042}:settings\" is no key of the rules"),
                arguments(h + " n=org=1", "not a namespace: \"org=1\""),
                arguments(h + " n=*|", "not a namespace: \"\""));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @MethodSource("invalidLines")
    void decodeRejectsWithMessageQuotingLineAndNamingThePart(String line, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.decode(line));
        assertTrue(e.getMessage().startsWith("invalid eviction message \"" + line + "\": "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void messageValidatesItsComponents() {
        assertEquals("sequence must be >= 1, was 0", assertThrows(IllegalArgumentException.class,
                () -> EvictionMessage.heartbeat(FP, PUB, 0, SENT, null)).getMessage());
        assertEquals("sentAtEpochMillis must be >= 0, was -1", assertThrows(IllegalArgumentException.class,
                () -> EvictionMessage.heartbeat(FP, PUB, 1, -1, null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> EvictionMessage.heartbeat(FP, "a b", 1, SENT, null));
        assertThrows(IllegalArgumentException.class, () -> EvictionMessage.heartbeat("", PUB, 1, SENT, null));
        assertThrows(NullPointerException.class,
                () -> new EvictionMessage(FP, PUB, 1, SENT, null, List.of(), null, false));
    }
}
