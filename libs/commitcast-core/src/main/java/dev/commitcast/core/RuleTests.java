package dev.commitcast.core;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Examples of what row changes invalidate, written by the user next to the rules, and checked against them — like
 * {@code promtool test rules}. Format ({@code docs/rules.md}):
 * <pre>
 * rules: rules.yml                  # relative to this file
 * tests:
 *   - name: a user moving between organisations busts both
 *     table: public.users
 *     op: update                    # create, update, delete, truncate or read
 *     before: { id: 9, org_id: 1 }
 *     after:  { id: 9, org_id: 2 }
 *     expect:
 *       keys: ["org:{1}:user:9", "org:{2}:user:9", "org:{1}:users:first", "org:{2}:users:first"]
 *       namespaces: []              # wire forms: "tag=42", "kinds=user,user_list", "*"
 *   - name: a user row without org_id is malformed
 *     table: public.users
 *     op: create
 *     after: { id: 9 }
 *     expect: { malformed: "column 'org_id' missing" }
 * </pre>
 * Keys are compared as sets of paths (a full Redis key of the rules' key space is accepted too), namespaces as sets
 * of wire forms. Not thread-safe.
 */
public final class RuleTests {

    private static final SourcePosition SOURCE = new SourcePosition(0, Instant.EPOCH, 0);

    /**
     * The outcome of one example.
     *
     * @param name   the example's name
     * @param line   its line in the file
     * @param passed whether the rules did what it expects
     * @param diff   when it failed: {@code - expected but missing}, {@code + produced but not expected} lines, or
     *               the error
     */
    public record Result(String name, int line, boolean passed, List<String> diff) {
    }

    private record Example(String name, int line, String table, Operation op, Map<String, Object> before,
                           Map<String, Object> after, Set<String> keys, Set<String> namespaces, String malformed) {
    }

    private final Path file;
    private final Rules rules;
    private final List<Example> examples;

    private RuleTests(Path file, Rules rules, List<Example> examples) {
        this.file = file;
        this.rules = rules;
        this.examples = examples;
    }

    /**
     * Loads a test file, and the rules it names unless {@code rules} is given.
     *
     * @throws RulesException naming the line of every problem of the test file, or of the rules file
     */
    public static RuleTests load(Path file, Rules rules) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RulesException(List.of(new RulesException.Problem(file.toString(), 0, "",
                    "cannot read the rule tests: " + e)));
        }
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new java.io.StringReader(text));
        } catch (YAMLException e) {
            throw new RulesException(List.of(new RulesException.Problem(file.toString(), 0, "",
                    "not valid YAML: " + e.getMessage())));
        }
        Reader reader = new Reader(file.toString());
        if (!(root instanceof MappingNode top)) {
            reader.problem(root, "", "expected a mapping with 'rules' and 'tests'");
            throw new RulesException(reader.problems);
        }
        Map<String, Node> entries = reader.entries(top, "");
        Rules loaded = rules;
        if (loaded == null) {
            Node rulesNode = entries.get("rules");
            if (!(rulesNode instanceof ScalarNode scalar)) {
                reader.problem(top, "rules", "name the rules file (relative to this file), e.g. rules: rules.yml");
                throw new RulesException(reader.problems);
            }
            Path parent = file.toAbsolutePath().getParent();
            loaded = Rules.load(parent == null ? Path.of(scalar.getValue()) : parent.resolve(scalar.getValue()));
        }
        List<Example> examples = new ArrayList<>();
        Node tests = entries.get("tests");
        if (!(tests instanceof SequenceNode list) || list.getValue().isEmpty()) {
            reader.problem(tests == null ? top : tests, "tests", "expected a non-empty list of examples");
        } else {
            for (int i = 0; i < list.getValue().size(); i++) {
                Example example = reader.example(list.getValue().get(i), "tests[" + i + "]");
                if (example != null) {
                    examples.add(example);
                }
            }
        }
        if (!reader.problems.isEmpty()) {
            throw new RulesException(reader.problems);
        }
        return new RuleTests(file, loaded, examples);
    }

    /** Returns the rules under test. */
    public Rules rules() {
        return rules;
    }

    /** Returns the test file. */
    public Path file() {
        return file;
    }

    /** Runs every example. */
    public List<Result> run() {
        List<Result> results = new ArrayList<>();
        for (Example example : examples) {
            results.add(run(example));
        }
        return results;
    }

    private Result run(Example example) {
        String[] names = example.table().split("\\.", 2);
        Invalidation invalidation;
        try {
            RowChange change = new RowChange(names[0], names.length > 1 ? names[1] : "", example.op(),
                    example.before(), example.after(), SOURCE);
            invalidation = rules.evaluate(change);
        } catch (MalformedChangeException | IllegalArgumentException e) {
            if (example.malformed() != null && e.getMessage().contains(example.malformed())) {
                return new Result(example.name(), example.line(), true, List.of());
            }
            return new Result(example.name(), example.line(), false, List.of(example.malformed() == null
                    ? "! the rules rejected the change: " + e.getMessage()
                    : "! expected malformed \"" + example.malformed() + "\", got: " + e.getMessage()));
        }
        if (example.malformed() != null) {
            return new Result(example.name(), example.line(), false, List.of("! expected malformed \""
                    + example.malformed() + "\", but the change invalidated " + describe(invalidation)));
        }
        Set<String> keys = new TreeSet<>();
        invalidation.keys().forEach(k -> keys.add(k.path()));
        Set<String> namespaces = new TreeSet<>();
        invalidation.namespaces().forEach(n -> namespaces.add(n.wire()));
        List<String> diff = new ArrayList<>();
        diff(example.keys(), keys, "key", diff);
        diff(example.namespaces(), namespaces, "namespace", diff);
        return new Result(example.name(), example.line(), diff.isEmpty(), diff);
    }

    private String describe(Invalidation invalidation) {
        List<String> parts = new ArrayList<>();
        invalidation.keys().forEach(k -> parts.add(k.path()));
        invalidation.namespaces().forEach(n -> parts.add("namespace " + n.wire()));
        return parts.toString();
    }

    private void diff(Set<String> expected, Set<String> actual, String what, List<String> diff) {
        Set<String> normalised = new TreeSet<>();
        String prefix = rules.keySpace().keyPrefix();
        for (String e : expected) {
            normalised.add(what.equals("key") && e.startsWith(prefix) ? e.substring(prefix.length()) : e);
        }
        for (String e : normalised) {
            if (!actual.contains(e)) {
                diff.add("- " + what + " " + e + "   (expected, not invalidated)");
            }
        }
        for (String a : actual) {
            if (!normalised.contains(a)) {
                diff.add("+ " + what + " " + a + "   (invalidated, not expected)");
            }
        }
    }

    /** Reads examples from YAML nodes, collecting problems with their lines. */
    private static final class Reader {
        private final String source;
        private final List<RulesException.Problem> problems = new ArrayList<>();

        Reader(String source) {
            this.source = source;
        }

        Example example(Node node, String path) {
            if (!(node instanceof MappingNode mapping)) {
                problem(node, path, "expected a mapping with name, table, op, before/after and expect");
                return null;
            }
            Map<String, Node> entries = entries(mapping, path);
            for (String key : entries.keySet()) {
                if (!Set.of("name", "table", "op", "before", "after", "expect").contains(key)) {
                    problem(mapping, path + "." + key, "unknown key; allowed: name, table, op, before, after, expect");
                }
            }
            String name = text(entries.get("name"));
            String table = text(entries.get("table"));
            String opText = text(entries.get("op"));
            int before = problems.size();
            if (name == null) {
                problem(mapping, path + ".name", "missing");
            }
            if (table == null || !table.contains(".")) {
                problem(mapping, path + ".table", "name the schema-qualified table, e.g. public.users");
            }
            Operation op = operation(opText);
            if (op == null) {
                problem(mapping, path + ".op", "expected create, update, delete, truncate or read, got " + opText);
            }
            Map<String, Object> beforeImage = row(entries.get("before"), path + ".before");
            Map<String, Object> afterImage = row(entries.get("after"), path + ".after");
            Node expectNode = entries.get("expect");
            Set<String> keys = new TreeSet<>();
            Set<String> namespaces = new TreeSet<>();
            String malformed = null;
            if (!(expectNode instanceof MappingNode expect)) {
                problem(mapping, path + ".expect", "expected a mapping with keys and namespaces, or malformed");
            } else {
                Map<String, Node> expected = entries(expect, path + ".expect");
                malformed = text(expected.get("malformed"));
                strings(expected.get("keys"), path + ".expect.keys", keys);
                strings(expected.get("namespaces"), path + ".expect.namespaces", namespaces);
                for (String key : expected.keySet()) {
                    if (!Set.of("keys", "namespaces", "malformed").contains(key)) {
                        problem(expect, path + ".expect." + key, "unknown key; allowed: keys, namespaces, malformed");
                    }
                }
            }
            if (problems.size() > before) {
                return null;
            }
            return new Example(name, line(node), table, op, beforeImage, afterImage, keys, namespaces, malformed);
        }

        private static Operation operation(String text) {
            if (text == null) {
                return null;
            }
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "create", "insert", "c" -> Operation.CREATE;
                case "update", "u" -> Operation.UPDATE;
                case "delete", "d" -> Operation.DELETE;
                case "truncate", "t" -> Operation.TRUNCATE;
                case "read", "r" -> Operation.READ;
                default -> null;
            };
        }

        private Map<String, Object> row(Node node, String path) {
            if (node == null || (node instanceof ScalarNode s && s.getValue().isEmpty()) || isNull(node)) {
                return null;
            }
            if (!(node instanceof MappingNode mapping)) {
                problem(node, path, "expected a row: { column: value, ... }");
                return null;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                String column = text(tuple.getKeyNode());
                row.put(column, value(tuple.getValueNode(), path + "." + column));
            }
            return row;
        }

        private Object value(Node node, String path) {
            if (!(node instanceof ScalarNode scalar)) {
                problem(node, path, "a column value is a single value");
                return null;
            }
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(serialize(scalar));
        }

        private static String serialize(ScalarNode scalar) {
            // re-read the scalar on its own, so YAML's own typing applies (42 -> Integer, "42" -> String, ~ -> null)
            String value = scalar.getValue();
            return switch (scalar.getScalarStyle()) {
                case DOUBLE_QUOTED, SINGLE_QUOTED, LITERAL, FOLDED -> "'" + value.replace("'", "''") + "'";
                default -> value.isEmpty() ? "~" : value;
            };
        }

        private static boolean isNull(Node node) {
            return node instanceof ScalarNode s && ("~".equals(s.getValue()) || "null".equals(s.getValue()));
        }

        private void strings(Node node, String path, Set<String> into) {
            if (node == null) {
                return;
            }
            if (!(node instanceof SequenceNode list)) {
                problem(node, path, "expected a list");
                return;
            }
            for (Node item : list.getValue()) {
                String value = text(item);
                if (value == null) {
                    problem(item, path, "expected a string");
                } else {
                    into.add(value);
                }
            }
        }

        Map<String, Node> entries(MappingNode mapping, String path) {
            Map<String, Node> entries = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                String key = text(tuple.getKeyNode());
                if (key != null && entries.put(key, tuple.getValueNode()) != null) {
                    problem(tuple.getKeyNode(), path + "." + key, "duplicate key");
                }
            }
            return entries;
        }

        private static String text(Node node) {
            return node instanceof ScalarNode scalar ? scalar.getValue() : null;
        }

        void problem(Node node, String path, String message) {
            problems.add(new RulesException.Problem(source, node == null ? 0 : node.getStartMark().getLine() + 1,
                    path, message));
        }

        private static int line(Node node) {
            return node.getStartMark().getLine() + 1;
        }
    }
}
