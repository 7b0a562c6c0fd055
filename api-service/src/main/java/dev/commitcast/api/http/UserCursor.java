package dev.commitcast.api.http;

import dev.commitcast.api.data.InvalidFieldException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code cursor} of the user list: the id of the last user of the previous page (keyset pagination),
 * versioned and base64url-encoded so that clients treat it as a token. Decoding is strict; anything else is a 400
 * on {@code cursor}.
 */
final class UserCursor {

    private static final String PREFIX = "u1:";

    private UserCursor() {
    }

    /** Returns the cursor of the page after the user with this id. */
    static String encode(long lastId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + lastId).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Returns the id encoded in the cursor.
     *
     * @throws InvalidFieldException on {@code cursor} if it is not a cursor this API issued
     */
    static long decode(String cursor) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
        if (!text.startsWith(PREFIX) || text.length() == PREFIX.length() || text.length() > PREFIX.length() + 19) {
            throw malformed();
        }
        long id = 0;
        for (int i = PREFIX.length(); i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9' || (i == PREFIX.length() && c == '0')) {
                throw malformed();
            }
            id = id * 10 + (c - '0');
            if (id < 0) {
                throw malformed();
            }
        }
        return id;
    }

    private static InvalidFieldException malformed() {
        return new InvalidFieldException("cursor", "not a cursor issued by this API; use nextCursor of a previous page");
    }
}
