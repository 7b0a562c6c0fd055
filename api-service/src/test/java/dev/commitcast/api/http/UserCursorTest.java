package dev.commitcast.api.http;

import dev.commitcast.api.data.InvalidFieldException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UserCursorTest {

    @Test
    void cursorsRoundTrip() {
        for (long id : List.of(1L, 150L, Long.MAX_VALUE)) {
            assertEquals(id, UserCursor.decode(UserCursor.encode(id)));
        }
    }

    @Test
    void anythingElseIsRejectedOnTheCursorField() {
        for (String bad : List.of("", "!!!", encode("u1:"), encode("u1:0"), encode("u1:007"), encode("u1:-5"),
                encode("u2:5"), encode("u1:5x"), encode("u1:99999999999999999999"))) {
            InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> UserCursor.decode(bad), bad);
            assertEquals("cursor", e.field());
        }
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
