package dev.commitcast.api.http;

import dev.commitcast.api.data.UserRow;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Pages cut from a cached first page are exactly the pages written for that limit. */
class UserPagesTest {

    private final JsonMapper json = ObjectMapper.getDefault();
    private final UserPages pages = new UserPages(json);

    @Test
    void everySliceEqualsThePageWrittenForItsLimit() {
        List<UserRow> rows = users(12);
        CachedValue cached = pages.write(7, rows, 10);
        for (int limit = 1; limit <= 10; limit++) {
            CachedValue direct = pages.write(7, rows, limit);
            UserPages.Slice slice = pages.slice(cached, limit);
            assertEquals(new String(direct.body(), StandardCharsets.UTF_8),
                    new String(slice.body(), StandardCharsets.UTF_8), "limit " + limit);
        }
    }

    @Test
    void aShortLastPageHasNoCursor() throws IOException {
        CachedValue page = pages.write(7, users(3), 10);
        Map<String, Object> parsed = json.readValue(page.body(), Argument.mapOf(String.class, Object.class));
        assertEquals(3, ((List<?>) parsed.get("users")).size());
        assertNull(parsed.get("nextCursor"));
        assertEquals(page.body().length, pages.slice(page, 10).body().length);
    }

    private static List<UserRow> users(int n) {
        List<UserRow> rows = new ArrayList<>();
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 1; i <= n; i++) {
            rows.add(new UserRow(i * 3L, 7, "u" + i + "@x.example", "User " + i, i % 2 == 0 ? null : 4L, "active",
                    at, at));
        }
        return rows;
    }
}
