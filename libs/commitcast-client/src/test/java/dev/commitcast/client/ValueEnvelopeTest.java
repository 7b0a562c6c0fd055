package dev.commitcast.client;

import dev.commitcast.testsupport.Repo;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The L2 value envelope: header bytes, negative entries, and rejection of anything else. */
class ValueEnvelopeTest {

    @Test
    void aValueIsTheHeaderThenTheCodecsBytes() {
        byte[] stored = ValueEnvelope.encode("Zoë", ValueCodec.utf8());
        byte[] payload = "Zoë".getBytes(StandardCharsets.UTF_8);
        assertEquals('c', stored[0]);
        assertEquals(2, stored[1]);
        assertEquals(1, stored[2]);
        assertEquals(3 + payload.length, stored.length);
        assertEquals("Zoë", ValueEnvelope.decode(stored, ValueCodec.utf8()));
    }

    @Test
    void aNegativeEntryIsTheHeaderAlone() {
        byte[] stored = ValueEnvelope.encode(null, ValueCodec.utf8());
        assertArrayEquals(new byte[] {'c', 2, 0}, stored);
        assertNull(ValueEnvelope.decode(stored, ValueCodec.utf8()));
    }

    @Test
    void foreignVersionsFlagsAndTruncationsAreRejected() {
        ValueCodec<String> codec = ValueCodec.utf8();
        assertThrows(IllegalArgumentException.class, () -> ValueEnvelope.decode(new byte[] {'c', 2}, codec));
        assertThrows(IllegalArgumentException.class, () -> ValueEnvelope.decode("{}".getBytes(), codec));
        assertThrows(IllegalArgumentException.class, () -> ValueEnvelope.decode(new byte[] {'c', 1, 1, 'x'}, codec),
                "envelope version 1 (the demo API's format before the client library)");
        assertThrows(IllegalArgumentException.class, () -> ValueEnvelope.decode(new byte[] {'c', 2, 4, 'x'}, codec));
        assertThrows(IllegalArgumentException.class, () -> ValueEnvelope.decode(new byte[] {'c', 2, 0, 'x'}, codec),
                "a negative entry carries no payload");
    }

    @Test
    void theProtocolDocumentShowsTheseBytes() throws IOException {
        String doc = Files.readString(Repo.root().resolve("docs/protocol.md"));
        int marker = doc.indexOf("<!-- client-check: envelope -->");
        assertTrue(marker >= 0, "docs/protocol.md section 7 has the envelope examples");
        String block = doc.substring(doc.indexOf("```text\n", marker) + 8, doc.indexOf("```\n", marker + 40));
        int checked = 0;
        for (String line : block.lines().toList()) {
            Matcher value = Pattern.compile("^\"(.*)\" \\(ValueCodec.utf8\\)\\s+([0-9a-f ]+)$").matcher(line);
            Matcher absent = Pattern.compile("^not found\\s+([0-9a-f ]+)$").matcher(line);
            if (value.matches()) {
                assertEquals(value.group(2), hex(ValueEnvelope.encode(value.group(1), ValueCodec.utf8())), line);
            } else if (absent.matches()) {
                assertEquals(absent.group(1), hex(ValueEnvelope.encode(null, ValueCodec.utf8())), line);
            } else {
                fail("unreadable example line in docs/protocol.md section 7: " + line);
            }
            checked++;
        }
        assertEquals(2, checked);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }
}
