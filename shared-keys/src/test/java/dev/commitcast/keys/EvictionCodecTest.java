package dev.commitcast.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EvictionCodecTest {

    private static final String PUB = "0b7e2c1a-5d";
    private static final long SENT = 1_712_345_678_901L;
    private static final Watermark WATERMARK =
            new Watermark(23_456_789, Instant.parse("2024-04-05T12:34:56.789012Z"));

    private final EvictionCodec codec = new EvictionCodec(KeySpace.DEFAULT);

    static Stream<Arguments> messages() {
        List<CacheKey> everyKind = List.of(CacheKey.settings(1), CacheKey.roles(2), CacheKey.rolePermissions(3, 4),
                CacheKey.user(5, 6), CacheKey.userList(7));
        return Stream.of(
                arguments("heartbeat with watermark", EvictionMessage.heartbeat(PUB, 1, SENT, WATERMARK)),
                arguments("heartbeat before any watermark", EvictionMessage.heartbeat(PUB, 2, 0, null)),
                arguments("flushAll", new EvictionMessage(PUB, 3, SENT, List.of(), List.of(), WATERMARK, true)),
                arguments("flushAll without watermark", new EvictionMessage(PUB, 3, SENT, List.of(), List.of(), null, true)),
                arguments("every key kind", new EvictionMessage(PUB, 4, SENT, everyKind, List.of(), WATERMARK, false)),
                arguments("namespaces only", new EvictionMessage(PUB, 5, SENT, List.of(),
                        List.of(Namespace.all(), Namespace.org(42), Namespace.kinds(KeyKind.USER, KeyKind.USER_LIST),
                                Namespace.orgKinds(42, KeyKind.SETTINGS)), null, false)),
                arguments("everything", new EvictionMessage("p_1", Long.MAX_VALUE, Long.MAX_VALUE,
                        List.of(CacheKey.user(Long.MAX_VALUE, Long.MAX_VALUE)), List.of(Namespace.org(9)),
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
        EvictionMessage message = new EvictionMessage(PUB, 17, SENT,
                List.of(CacheKey.user(42, 9), CacheKey.userList(42), CacheKey.rolePermissions(42, 7)),
                List.of(Namespace.org(43), Namespace.kinds(KeyKind.USER, KeyKind.USER_LIST)), WATERMARK, false);
        assertEquals("v1 cc 0b7e2c1a-5d 17 1712345678901 w=23456789@2024-04-05T12:34:56.789012Z "
                + "k=u42.9,l42,p42.7 n=org=43|kinds=USER,USER_LIST", codec.encode(message));
        assertEquals("v1 cc 0b7e2c1a-5d 18 1712345678901 flush",
                codec.encode(new EvictionMessage(PUB, 18, SENT, List.of(), List.of(), null, true)));
    }

    @Test
    void heartbeatIsAMessageThatEvictsNothing() {
        assertTrue(EvictionMessage.heartbeat(PUB, 1, SENT, WATERMARK).isHeartbeat());
        assertTrue(codec.decode("v1 cc p 1 0").isHeartbeat());
        assertFalse(codec.decode("v1 cc p 1 0 flush").isHeartbeat());
        assertFalse(codec.decode("v1 cc p 1 0 k=s1").isHeartbeat());
        assertFalse(codec.decode("v1 cc p 1 0 n=*").isHeartbeat());
    }

    static Stream<Arguments> invalidLines() {
        return Stream.of(
                arguments("", "expected at least 5 space-separated tokens, got 1"),
                arguments("v1 cc p 1", "expected at least 5 space-separated tokens, got 4"),
                arguments("v2 cc p 1 0", "unsupported version \"v2\", this codec reads v1"),
                arguments("v1 it-1 p 1 0", "message of key space \"it-1\", this codec serves \"cc\""),
                arguments("v1  cc p 1 0", "empty token 1 (leading, trailing or double space)"),
                arguments("v1 cc p 1 0 ", "empty token 5 (leading, trailing or double space)"),
                arguments("v1 cc p!x 1 0", "publisherId \"p!x\" has an illegal character at index 1"),
                arguments("v1 cc p 0 0", "sequence \"0\" is not a canonical decimal >= 1"),
                arguments("v1 cc p 01 0", "sequence \"01\" is not a canonical decimal >= 1"),
                arguments("v1 cc p 1 -1", "sentAtEpochMillis \"-1\" is not a canonical decimal >= 0"),
                arguments("v1 cc p 1 0 x=1", "unknown field \"x=1\""),
                arguments("v1 cc p 1 0 flush flush", "field \"flush\" repeated or out of order"),
                arguments("v1 cc p 1 0 k=s1 w=1@2024-01-01T00:00:00Z", "field \"w=1@2024-01-01T00:00:00Z\" repeated or out of order"),
                arguments("v1 cc p 1 0 w=1", "watermark \"1\" is not <lsn>@<commitTime>"),
                arguments("v1 cc p 1 0 w=x@2024-01-01T00:00:00Z", "watermark lsn \"x\" is not a canonical decimal >= 0"),
                arguments("v1 cc p 1 0 w=1@yesterday", "watermark commit time \"yesterday\" is not an ISO-8601 instant"),
                arguments("v1 cc p 1 0 k=", "key \"\" does not start with a kind code of srpul"),
                arguments("v1 cc p 1 0 k=s1,,s2", "key \"\" does not start with a kind code of srpul"),
                arguments("v1 cc p 1 0 k=x42", "key \"x42\" does not start with a kind code of srpul"),
                arguments("v1 cc p 1 0 k=u42", "key \"u42\" lacks an id for kind USER"),
                arguments("v1 cc p 1 0 k=s42.1", "key \"s42.1\" must not have an id for kind SETTINGS"),
                arguments("v1 cc p 1 0 k=u0.1", "key org id \"0\" is not a canonical decimal >= 1"),
                arguments("v1 cc p 1 0 k=p1.0", "key id \"0\" is not a canonical decimal >= 1"),
                arguments("v1 cc p 1 0 n=org=0", "org id \"0\" is not a canonical decimal > 0"),
                arguments("v1 cc p 1 0 n=*|", "not a namespace wire form: \"\""));
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
                () -> EvictionMessage.heartbeat(PUB, 0, SENT, null)).getMessage());
        assertEquals("sentAtEpochMillis must be >= 0, was -1", assertThrows(IllegalArgumentException.class,
                () -> EvictionMessage.heartbeat(PUB, 1, -1, null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> EvictionMessage.heartbeat("a b", 1, SENT, null));
        assertThrows(IllegalArgumentException.class, () -> EvictionMessage.heartbeat("", 1, SENT, null));
        assertThrows(IllegalArgumentException.class, () -> EvictionMessage.heartbeat("x".repeat(65), 1, SENT, null));
        assertThrows(NullPointerException.class,
                () -> new EvictionMessage(PUB, 1, SENT, null, List.of(), null, false));
        String id = EvictionMessage.newPublisherId();
        assertEquals(id, EvictionMessage.heartbeat(id, 1, SENT, null).publisherId());
    }
}
