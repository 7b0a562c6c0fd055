package dev.commitcast.cli.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventLinesTest {

    @Test
    void writesOneObjectPerLineAndReadsItBack() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("trace", "abc");
        headers.put("empty", null);
        EventRecord record = new EventRecord("commitcast.public.users", 2, 42, 1_767_225_600_000L, "{\"id\":9}",
                Events.userCreated(7, 9), headers, false);
        String line = EventLines.write(record);
        assertFalse(line.contains("\n"), line);
        assertTrue(line.startsWith("{\"topic\":\"commitcast.public.users\",\"partition\":2,\"offset\":42,"
                + "\"timestamp\":1767225600000,\"key\":\"{\\\"id\\\":9}\",\"value\":\"{\\\"before\\\":null,"), line);
        assertEquals(record, EventLines.parse(line));
    }

    @Test
    void markersAreFlaggedAndRecognisedByTheirHeader() {
        EventRecord marker = Events.markerRecord("commitcast.public.users", 5);
        assertTrue(EventLines.write(marker).endsWith("\"headers\":{\"commitcast-marker\":\"watermark\"},\"marker\":true}"));
        String unflagged = "{\"topic\":\"t\",\"partition\":0,\"offset\":1,\"value\":\"{}\","
                + "\"headers\":{\"commitcast-marker\":\"watermark\"}}";
        assertTrue(EventLines.parse(unflagged).marker(), "the header alone makes it a marker, as for the invalidator");
    }

    @Test
    void optionalFieldsDefaultAndAnInlineValueIsTakenAsText() {
        EventRecord parsed = EventLines.parse("{\"topic\":\"t\",\"partition\":0,\"offset\":1,"
                + "\"value\":{\"op\":\"c\",\"source\":{\"table\":\"users\"}}}");
        assertEquals(-1, parsed.timestamp());
        assertNull(parsed.key());
        assertEquals("{\"op\":\"c\",\"source\":{\"table\":\"users\"}}", parsed.value());
        assertTrue(parsed.headers().isEmpty());
        assertNull(EventLines.parse("{\"topic\":\"t\",\"partition\":0,\"offset\":1,\"value\":null}").value(),
                "a tombstone");
    }

    @Test
    void saysWhatIsWrongWithABadLine() {
        assertBad("not json", "not JSON");
        assertBad("[1,2]", "not a JSON object");
        assertBad("{\"partition\":0,\"offset\":1,\"value\":null}", "field 'topic' is missing or empty");
        assertBad("{\"topic\":\"t\",\"offset\":1,\"value\":null}", "field 'partition' is missing");
        assertBad("{\"topic\":\"t\",\"partition\":-1,\"offset\":1,\"value\":null}", "field 'partition' is -1");
        assertBad("{\"topic\":\"t\",\"partition\":0,\"offset\":\"x\",\"value\":null}", "field 'offset' is \"x\"");
        assertBad("{\"topic\":\"t\",\"partition\":0,\"offset\":1}", "field 'value' is missing");
        assertBad("{\"topic\":\"t\",\"partition\":0,\"offset\":1,\"value\":5}", "field 'value' is 5");
        assertBad("{\"topic\":\"t\",\"partition\":0,\"offset\":1,\"value\":null,\"headers\":[]}", "field 'headers'");
        assertBad("{\"topic\":\"t\",\"partition\":0,\"offset\":1,\"value\":null,\"marker\":\"yes\"}", "field 'marker'");
    }

    @Test
    void aFileSourceReportsMalformedLinesByNumberAndReadsOn(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("events.jsonl");
        Files.write(file, List.of(
                EventLines.write(Events.record("commitcast.public.users", 1, null, Events.userCreated(1, 1))),
                "{broken",
                "",
                EventLines.write(Events.markerRecord("commitcast.public.users", 2)),
                "{\"topic\":\"t\",\"partition\":0}",
                EventLines.write(Events.record("commitcast.public.users", 3, null, Events.userCreated(1, 3)))));
        List<SourcedEvent> items = new ArrayList<>();
        try (FileEventSource source = FileEventSource.open(file)) {
            for (SourcedEvent item = source.next(); item != null; item = source.next()) {
                items.add(item);
            }
        }
        assertEquals(5, items.size(), "the blank line is skipped: " + items);
        assertEquals(List.of(1L, 2L, 4L, 5L, 6L), items.stream().map(SourcedEvent::line).toList());
        assertEquals(List.of(false, true, false, true, false), items.stream().map(SourcedEvent::malformed).toList());
        assertEquals("line 2", items.get(1).origin());
        assertTrue(items.get(1).error().startsWith("not JSON"), items.get(1).error());
        assertEquals("field 'offset' is missing", items.get(3).error());
        assertEquals(3, items.get(4).event().offset());
    }

    private static void assertBad(String line, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventLines.parse(line));
        assertTrue(e.getMessage().startsWith(message), "'" + e.getMessage() + "' should start with '" + message + "'");
    }
}
