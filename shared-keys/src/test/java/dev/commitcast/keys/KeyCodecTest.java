package dev.commitcast.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyCodecTest {

    private final KeyCodec codec = new KeyCodec(KeySpace.DEFAULT);

    static Stream<Arguments> renderedForms() {
        return Stream.of(
                arguments(CacheKey.settings(42), "cc:v1:org:{42}:settings"),
                arguments(CacheKey.roles(42), "cc:v1:org:{42}:roles"),
                arguments(CacheKey.rolePermissions(42, 7), "cc:v1:org:{42}:role:7:perms"),
                arguments(CacheKey.user(42, 9), "cc:v1:org:{42}:user:9"),
                arguments(CacheKey.userList(42), "cc:v1:org:{42}:users:first"),
                arguments(CacheKey.user(Long.MAX_VALUE, Long.MAX_VALUE),
                        "cc:v1:org:{9223372036854775807}:user:9223372036854775807"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("renderedForms")
    void rendersAndParsesBack(CacheKey key, String rendered) {
        assertEquals(rendered, codec.render(key));
        assertEquals(rendered + ":lease", codec.leaseKey(key));
        assertEquals(key, codec.parse(rendered));
        assertArrayEquals(rendered.getBytes(StandardCharsets.US_ASCII), codec.renderBytes(key));
        assertArrayEquals((rendered + ":lease").getBytes(StandardCharsets.US_ASCII), codec.leaseKeyBytes(key));
        assertEquals(key, codec.parse(rendered.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void rendersIntoItsKeySpace() {
        KeyCodec test = new KeyCodec(new KeySpace("it-1"));
        assertEquals("it-1:v1:org:{42}:role:7:perms", test.render(CacheKey.rolePermissions(42, 7)));
        assertEquals(CacheKey.rolePermissions(42, 7), test.parse("it-1:v1:org:{42}:role:7:perms"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "junk",
            "cc:v1:org:{42}",
            "cc:v1:org:{42}:",
            "cc:v1:org:42:settings",
            "cc:v1:org:{42:settings",
            "cc:v2:org:{42}:settings",
            "dd:v1:org:{42}:settings",
            "it-1:v1:org:{42}:settings",
            "cc:v1:org:{0}:settings",
            "cc:v1:org:{-1}:settings",
            "cc:v1:org:{+1}:settings",
            "cc:v1:org:{042}:settings",
            "cc:v1:org:{}:settings",
            "cc:v1:org:{9223372036854775808}:settings",
            "cc:v1:org:{42}:settings:lease",
            "cc:v1:org:{42}:settingsx",
            "cc:v1:org:{42}:Settings",
            "cc:v1:org:{42}:role",
            "cc:v1:org:{42}:role:",
            "cc:v1:org:{42}:role::perms",
            "cc:v1:org:{42}:role:0:perms",
            "cc:v1:org:{42}:role:7",
            "cc:v1:org:{42}:role:7:perms:x",
            "cc:v1:org:{42}:role:x:perms",
            "cc:v1:org:{42}:user:",
            "cc:v1:org:{42}:user:0",
            "cc:v1:org:{42}:user:-9",
            "cc:v1:org:{42}:user:9:lease",
            "cc:v1:org:{42}:user:9 ",
            "cc:v1:org:{42}:users",
            "cc:v1:org:{42}:users:first:2",
            "cc:v1:org:{42}:users:second",
    })
    void parseRejectsAnythingRenderDoesNotProduce(String input) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.parse(input));
        assertTrue(e.getMessage().contains("\"" + input + "\""), e.getMessage());
    }

    static Stream<Arguments> invalidKeys() {
        return Stream.of(
                arguments((Executable) () -> CacheKey.settings(0), "orgId must be > 0, was 0"),
                arguments((Executable) () -> CacheKey.userList(-4), "orgId must be > 0, was -4"),
                arguments((Executable) () -> CacheKey.user(42, 0), "id must be > 0, was 0"),
                arguments((Executable) () -> CacheKey.rolePermissions(42, -7), "id must be > 0, was -7"),
                arguments((Executable) () -> new CacheKey(KeyKind.ROLES, 42, 3), "id must be 0 for kind ROLES, was 3"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidKeys")
    void cacheKeyRejectsNonPositiveIds(Executable construct, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, construct).getMessage());
    }
}
