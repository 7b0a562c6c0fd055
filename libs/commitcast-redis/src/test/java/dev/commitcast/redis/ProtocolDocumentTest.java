package dev.commitcast.redis;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.GenerationKeys;
import dev.commitcast.core.HashSlot;
import dev.commitcast.core.KeyKind;
import dev.commitcast.core.KeyPart;
import dev.commitcast.core.KeySpace;
import dev.commitcast.core.Namespace;
import dev.commitcast.core.PartType;
import dev.commitcast.core.Rules;
import dev.commitcast.core.Watermark;
import dev.commitcast.core.wire.EvictionCodec;
import dev.commitcast.core.wire.EvictionMessage;
import dev.commitcast.core.wire.SequenceTracker;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks {@code docs/protocol.md} — the protocol a client in another language is written from — against the code, so
 * that the document cannot drift from what Commitcast does. The document marks what is checked with HTML comments:
 * <ul>
 *   <li>{@code <!-- script: <name> -->} before a fenced block: the block is the {@link LuaScript} of that name,
 *       character for character (line endings normalised). Every script constant of {@link FillProtocol} and
 *       {@link RedisInvalidation} must be shown, and no other;</li>
 *   <li>{@code <!-- check: <what> -->} before a table or a fenced block: keys, generation tags, part rendering,
 *       platform keys and namespaces are what the code renders for the demo rules
 *       ({@code examples/orgs-demo/rules.yml}, loaded with the real {@link Rules} loader); an example eviction
 *       message decodes with {@link EvictionCodec} to the fields the table after it states and re-encodes to the same
 *       line; the watermark example parses and orders as stated; every constant cited as {@code Class.FIELD} has the
 *       stated value, and every outcome code of {@link FillProtocol} is cited.</li>
 * </ul>
 * The file is found by walking up from the working directory to the folder holding {@code docs/protocol.md}.
 */
class ProtocolDocumentTest {

    private static final Path ROOT = root();
    private static final Rules RULES = Rules.load(ROOT.resolve("examples/orgs-demo/rules.yml"));
    private static final KeySpace SPACE = RULES.keySpace();
    private static final Document DOC = Document.read(ROOT.resolve("docs/protocol.md"));

    /** The classes whose script constants the document must show. */
    private static final List<Class<?>> SCRIPT_HOLDERS = List.of(FillProtocol.class, RedisInvalidation.class);

    /** The classes the document may cite as {@code Class.FIELD} or {@code Class.method(...)}, by simple name. */
    private static final Map<String, Class<?>> CITABLE = citable(FillProtocol.class, RedisInvalidation.class,
            EvictionPublisher.class, KeySpace.class, HashSlot.class, GenerationKeys.class, EvictionCodec.class,
            EvictionMessage.class, SequenceTracker.class);

    private static final Set<String> CHECKS = Set.of("keys", "generation-tags", "part-rendering", "platform-keys",
            "namespaces", "message", "message-fields", "watermark", "constants");

    private static final Pattern SCRIPT_MARKER = Pattern.compile("<!-- script: (\\S+) -->");
    private static final Pattern CHECK_MARKER = Pattern.compile("<!-- check: (\\S+) -->");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]*)`");
    private static final Pattern CITATION = Pattern.compile("([A-Z][A-Za-z]*)\\.([A-Za-z_]+)(\\(([a-zA-Z]*)\\))?");

    @Test
    void everyScriptOfTheCodeIsShownVerbatim() {
        Map<String, String> code = codeScripts();
        Map<String, String> shown = new TreeMap<>();
        for (int line : DOC.markers(SCRIPT_MARKER)) {
            String name = DOC.markerArgument(line, SCRIPT_MARKER);
            String previous = shown.put(name, DOC.fenceAfter(line));
            assertTrue(previous == null, "docs/protocol.md shows script '" + name + "' twice (line " + (line + 1)
                    + ")");
        }
        assertEquals(code.keySet(), shown.keySet(), "docs/protocol.md must show exactly the scripts of "
                + SCRIPT_HOLDERS.stream().map(Class::getSimpleName).toList() + ", each after <!-- script: <name> -->");
        code.forEach((name, source) -> assertEquals(source, shown.get(name), "docs/protocol.md, script '" + name
                + "' is not the code's; copy it from the code"));
    }

    @Test
    void exampleKeysAreWhatTheDemoRulesRender() {
        List<List<String>> rows = DOC.tables("keys");
        for (List<String> row : rows) {
            KeyKind kind = RULES.kind(span(row.get(0)));
            CacheKey key = kind.key(partValues(kind, spans(row.get(1))));
            String[] keys = FillProtocol.keys(SPACE, key);
            String what = "docs/protocol.md, example key of kind " + kind.name() + " " + spans(row.get(1));
            assertEquals(keys[0], span(row.get(2)), what + ": value key");
            assertEquals(SPACE.valueKey(key), keys[0], "FillProtocol.keys and KeySpace.valueKey disagree");
            assertEquals(keys[1], span(row.get(3)), what + ": lease key");
            assertEquals(SPACE.leaseKey(key), keys[1], "FillProtocol.keys and KeySpace.leaseKey disagree");
            assertEquals(Integer.toString(HashSlot.of(keys[0])), row.get(4), what + ": slot");
            assertEquals(keys[2], span(row.get(5)), what + ": generation key");
        }
        assertTrue(rows.size() >= RULES.kinds().size(), "docs/protocol.md must show a key of every demo kind");
    }

    @Test
    void generationTagsAreTheCodes() {
        for (List<String> row : DOC.tables("generation-tags")) {
            int slot = Integer.parseInt(row.get(0));
            assertEquals(GenerationKeys.tag(slot), span(row.get(1)), "docs/protocol.md, generation tag of slot "
                    + slot);
            assertEquals(GenerationKeys.key(SPACE, slot), span(row.get(2)), "docs/protocol.md, generation key of "
                    + "slot " + slot);
        }
    }

    @Test
    void partValuesRenderAsStated() {
        for (List<String> row : DOC.tables("part-rendering")) {
            PartType type = partType(span(row.get(0)));
            String value = unquote(span(row.get(1)));
            assertEquals(type.render(value), span(row.get(2)), "docs/protocol.md, " + type.yamlName() + " value "
                    + row.get(1));
        }
    }

    @Test
    void platformKeysAreTheKeySpaces() {
        List<List<String>> rows = DOC.tables("platform-keys");
        for (List<String> row : rows) {
            assertEquals(cite(span(row.get(1))), span(row.get(0)), "docs/protocol.md, platform key " + row.get(1));
        }
        assertTrue(rows.size() >= 7, "docs/protocol.md must list every platform key");
    }

    @Test
    void namespacesScanAndFenceAsStated() {
        for (List<String> row : DOC.tables("namespaces")) {
            Namespace namespace = RULES.parseNamespace(span(row.get(0)));
            String what = "docs/protocol.md, namespace " + row.get(0);
            assertEquals(namespace.wire(), span(row.get(0)), what + ": not its canonical wire form");
            assertEquals(namespace.scanPatterns(SPACE), spans(row.get(1)), what + ": SCAN patterns");
            List<String> bumped = namespace.hashTag()
                    .map(tag -> List.of(GenerationKeys.key(SPACE, HashSlot.ofTag(tag)))).orElse(List.of());
            assertEquals(bumped, spans(row.get(2)), what + ": generation keys bumped");
            if (bumped.isEmpty()) {
                assertEquals("every slot", row.get(2), what + ": a namespace without a tag bumps every slot");
            }
        }
    }

    @Test
    void exampleMessagesDecodeToTheStatedFieldsAndReEncodeToTheSameLine() {
        EvictionCodec codec = new EvictionCodec(RULES);
        String line = null;
        int messages = 0;
        int fieldTables = 0;
        for (Document.Marked marked : DOC.checks()) {
            if (marked.check().equals("message")) {
                line = marked.fence().strip();
                assertFalse(line.contains("\n"), "docs/protocol.md, an example message is one line: " + line);
                assertEquals(codec.encode(codec.decode(line)), line, "docs/protocol.md, the example message does not"
                        + " re-encode to itself");
                messages++;
            } else if (marked.check().equals("message-fields")) {
                assertNotNull(line, "docs/protocol.md, <!-- check: message-fields --> before any example message");
                checkFields(codec, line, marked.table());
                fieldTables++;
            }
        }
        assertTrue(messages >= 1 && fieldTables >= 1, "docs/protocol.md must show a worked example message");
    }

    @Test
    void watermarkExampleParsesAndOrdersAsStated() {
        Map<String, String> fields = fields(DOC.tables("watermark"));
        Watermark watermark = Watermark.parseWire(fields.get("wire"));
        assertEquals(watermark.wire(), fields.get("wire"), "docs/protocol.md, watermark wire form");
        assertEquals(Long.toString(watermark.lsn()), fields.get("lsn"), "docs/protocol.md, watermark lsn");
        assertEquals(watermark.commitTime().toString(), fields.get("commitTime"), "docs/protocol.md, commit time");
        assertEquals(watermark.orderKey(), fields.get("orderKey"), "docs/protocol.md, watermark order key");
    }

    @Test
    void constantsAreTheCodes() {
        Set<String> cited = new TreeSet<>();
        for (List<String> row : DOC.tables("constants")) {
            String citation = span(row.get(2));
            assertEquals(cite(citation), span(row.get(1)), "docs/protocol.md, constant " + citation);
            cited.add(citation);
        }
        for (Field field : FillProtocol.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == long.class) {
                assertTrue(cited.contains("FillProtocol." + field.getName()), "docs/protocol.md must state the "
                        + "outcome code FillProtocol." + field.getName());
            }
        }
    }

    @Test
    void everyMarkerNamesAKnownCheck() {
        for (Document.Marked marked : DOC.checks()) {
            assertTrue(CHECKS.contains(marked.check()), "docs/protocol.md line " + (marked.line() + 1)
                    + ": unknown check '" + marked.check() + "'; known are " + new TreeSet<>(CHECKS));
        }
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    /** The stated fields of an example message against what the codec decodes. */
    private static void checkFields(EvictionCodec codec, String line, List<List<String>> rows) {
        EvictionMessage message = codec.decode(line);
        Map<String, Function<EvictionMessage, Object>> actual = new LinkedHashMap<>();
        actual.put("prefix", m -> codec.header(line).prefix());
        actual.put("fingerprint", EvictionMessage::rulesFingerprint);
        actual.put("publisherId", EvictionMessage::publisherId);
        actual.put("sequence", m -> Long.toString(m.sequence()));
        actual.put("sentAtMillis", m -> Long.toString(m.sentAtEpochMillis()));
        actual.put("flush", m -> Boolean.toString(m.flushAll()));
        actual.put("heartbeat", m -> Boolean.toString(m.isHeartbeat()));
        actual.put("watermark", m -> m.watermark() == null ? List.of() : List.of(m.watermark().wire()));
        actual.put("keys", m -> m.keys().stream().map(CacheKey::path).toList());
        actual.put("namespaces", m -> m.namespaces().stream().map(Namespace::wire).toList());
        for (List<String> row : rows) {
            String field = span(row.get(0));
            Function<EvictionMessage, Object> value = actual.get(field);
            assertNotNull(value, "docs/protocol.md, unknown message field '" + field + "'; known are "
                    + actual.keySet());
            Object stated = value.apply(message) instanceof List<?> ? spans(row.get(1)) : span(row.get(1));
            assertEquals(value.apply(message), stated, "docs/protocol.md, field " + field + " of " + line);
        }
    }

    /** The part values of a key, {@code name=value} spans, in the kind's part order (strings: types parse them). */
    private static Object[] partValues(KeyKind kind, List<String> spans) {
        Map<String, String> named = new LinkedHashMap<>();
        for (String span : spans) {
            int equals = span.indexOf('=');
            assertTrue(equals > 0, "a part value is written name=value, was " + span);
            named.put(span.substring(0, equals), span.substring(equals + 1));
        }
        List<Object> values = new ArrayList<>();
        for (KeyPart part : kind.parts()) {
            values.add(named.remove(part.name()));
        }
        assertTrue(named.isEmpty(), "kind " + kind.name() + " has no parts " + named.keySet());
        return values.toArray();
    }

    /** Rows of {@code field | value} as a map of the spans. */
    private static Map<String, String> fields(List<List<String>> rows) {
        Map<String, String> fields = new LinkedHashMap<>();
        rows.forEach(row -> fields.put(span(row.get(0)), span(row.get(1))));
        return fields;
    }

    /** The value of {@code Class.FIELD}, {@code KeySpace.method()} or {@code Class.method(keySpace)}, as text. */
    private static String cite(String citation) {
        Matcher m = CITATION.matcher(citation);
        assertTrue(m.matches(), "not a citation of the code: " + citation);
        Class<?> type = CITABLE.get(m.group(1));
        assertNotNull(type, "docs/protocol.md cites " + citation + "; citable classes are " + CITABLE.keySet());
        try {
            if (m.group(3) == null) {
                return String.valueOf(type.getField(m.group(2)).get(null));
            }
            if (m.group(4).isEmpty()) {
                return String.valueOf(type.getMethod(m.group(2)).invoke(SPACE));
            }
            assertEquals("keySpace", m.group(4), "the only argument a citation may pass: " + citation);
            Method method = type.getMethod(m.group(2), KeySpace.class);
            return String.valueOf(method.invoke(null, SPACE));
        } catch (ReflectiveOperationException e) {
            return fail("docs/protocol.md cites " + citation + ", which the code does not have: " + e);
        }
    }

    /** Every {@link LuaScript} constant of the script holders (private ones too), by name. */
    private static Map<String, String> codeScripts() {
        Map<String, String> scripts = new TreeMap<>();
        for (Class<?> holder : SCRIPT_HOLDERS) {
            for (Field field : holder.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == LuaScript.class) {
                    try {
                        field.setAccessible(true);
                        LuaScript script = (LuaScript) field.get(null);
                        scripts.put(script.name(), normalise(script.source()));
                    } catch (ReflectiveOperationException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
        assertTrue(scripts.containsKey(FillProtocol.LEASE.name()) && scripts.containsKey(FillProtocol.FILL.name()));
        return scripts;
    }

    private static PartType partType(String yamlName) {
        for (PartType type : PartType.values()) {
            if (type.yamlName().equals(yamlName)) {
                return type;
            }
        }
        return fail("no part type " + yamlName);
    }

    /** The one code span of a cell. */
    private static String span(String cell) {
        List<String> spans = spans(cell);
        assertEquals(1, spans.size(), "expected one `code` span in table cell \"" + cell + "\"");
        return spans.get(0);
    }

    /** The code spans of a cell, in order. */
    private static List<String> spans(String cell) {
        List<String> spans = new ArrayList<>();
        Matcher m = CODE_SPAN.matcher(cell);
        while (m.find()) {
            spans.add(m.group(1));
        }
        return spans;
    }

    private static String unquote(String text) {
        assertTrue(text.length() >= 2 && text.startsWith("\"") && text.endsWith("\""), "expected a \"quoted\" value,"
                + " was " + text);
        return text.substring(1, text.length() - 1);
    }

    private static String normalise(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n');
    }

    private static Map<String, Class<?>> citable(Class<?>... types) {
        Map<String, Class<?>> byName = new TreeMap<>();
        for (Class<?> type : types) {
            byName.put(type.getSimpleName(), type);
        }
        return byName;
    }

    /** The folder holding {@code docs/protocol.md}, walking up from the working directory. */
    private static Path root() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs/protocol.md"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no docs/protocol.md in " + start + " or any folder above it");
    }

    /**
     * The lines of a Markdown file and the marked blocks in them: a marker is an HTML comment on a line of its own,
     * followed (after blank lines) by a fenced block or a table.
     */
    private record Document(List<String> lines) {

        /** A {@code <!-- check: ... -->} marker and the block after it. */
        record Marked(Document document, int line, String check) {
            String fence() {
                return document.fenceAfter(line);
            }

            List<List<String>> table() {
                return document.tableAfter(line);
            }
        }

        static Document read(Path file) {
            try {
                return new Document(List.of(normalise(Files.readString(file, StandardCharsets.UTF_8)).split("\n",
                        -1)));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** The indices of the lines that are exactly a marker of the pattern. */
        List<Integer> markers(Pattern marker) {
            List<Integer> found = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (marker.matcher(lines.get(i).strip()).matches()) {
                    found.add(i);
                }
            }
            return found;
        }

        String markerArgument(int line, Pattern marker) {
            Matcher m = marker.matcher(lines.get(line).strip());
            assertTrue(m.matches());
            return m.group(1);
        }

        /** Every check marker, in document order. */
        List<Marked> checks() {
            List<Marked> marked = new ArrayList<>();
            for (int line : markers(CHECK_MARKER)) {
                marked.add(new Marked(this, line, markerArgument(line, CHECK_MARKER)));
            }
            return marked;
        }

        /** The rows of every table marked with this check, one after the other; fails when there is none. */
        List<List<String>> tables(String check) {
            List<List<String>> rows = new ArrayList<>();
            for (Marked marked : checks()) {
                if (marked.check().equals(check)) {
                    rows.addAll(marked.table());
                }
            }
            assertFalse(rows.isEmpty(), "docs/protocol.md has no table after <!-- check: " + check + " -->");
            return rows;
        }

        /** The content of the fenced block after a marker, its indentation removed, ending with a newline. */
        String fenceAfter(int marker) {
            int open = nextNonBlank(marker);
            String fence = lines.get(open);
            assertTrue(fence.strip().startsWith("```"), where(marker) + ": expected a fenced block, found " + fence);
            int indent = fence.length() - fence.stripLeading().length();
            StringBuilder content = new StringBuilder();
            for (int i = open + 1; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.strip().equals("```")) {
                    return content.toString();
                }
                assertTrue(line.isBlank() || line.startsWith(" ".repeat(indent)), where(i) + ": a line of the "
                        + "fenced block is indented less than its fence");
                content.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
            }
            return fail(where(open) + ": the fenced block is not closed");
        }

        /** The body rows of the table after a marker (header and separator left out), cells trimmed. */
        List<List<String>> tableAfter(int marker) {
            int header = nextNonBlank(marker);
            assertTrue(lines.get(header).startsWith("|") && header + 1 < lines.size()
                    && lines.get(header + 1).startsWith("|---"), where(marker) + ": expected a table");
            List<List<String>> rows = new ArrayList<>();
            for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
                rows.add(cells(lines.get(i)));
            }
            assertFalse(rows.isEmpty(), where(marker) + ": the table has no rows");
            return rows;
        }

        private int nextNonBlank(int line) {
            for (int i = line + 1; i < lines.size(); i++) {
                if (!lines.get(i).isBlank()) {
                    return i;
                }
            }
            return fail(where(line) + ": nothing after the marker");
        }

        /** The cells of a table row, split at every {@code |} not escaped as {@code \|}. */
        private static List<String> cells(String row) {
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            for (int i = 1; i < row.length(); i++) {
                char c = row.charAt(i);
                if (c == '\\' && i + 1 < row.length() && row.charAt(i + 1) == '|') {
                    cell.append('|');
                    i++;
                } else if (c == '|') {
                    cells.add(cell.toString().strip());
                    cell.setLength(0);
                } else {
                    cell.append(c);
                }
            }
            return cells;
        }

        private static String where(int line) {
            return "docs/protocol.md line " + (line + 1);
        }
    }
}
