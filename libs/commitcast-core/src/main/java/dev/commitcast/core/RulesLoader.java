package dev.commitcast.core;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a rules file into {@link Rules}, validating everything and collecting every problem with its line
 * ({@link RulesException}). The format is documented in {@code docs/rules.md}. Single-use, not thread-safe.
 */
final class RulesLoader {

    static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(5);
    static final double DEFAULT_JITTER = 0.1;
    static final double MAX_JITTER = 0.5;
    static final Duration MAX_TTL = Duration.ofDays(365);

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern IDENTIFIER = Pattern.compile("[^.\\s\"]+");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final String source;
    private final List<RulesException.Problem> problems = new ArrayList<>();

    RulesLoader(String source) {
        this.source = source;
    }

    Rules load(String yaml) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true); // reported below, with both lines
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new RulesException(List.of(new RulesException.Problem(source, line, "",
                    "not valid YAML: " + e.getProblem())));
        } catch (YAMLException e) {
            throw new RulesException(List.of(new RulesException.Problem(source, 0, "", "not valid YAML: "
                    + e.getMessage())));
        }
        if (root == null) {
            problem(null, "", "the file is empty; it needs at least keyspace, kinds and tables");
            throw new RulesException(problems);
        }
        Map<String, Node> top = mapping(root, "", Set.of("format", "keyspace", "defaults", "kinds", "tables"));
        if (top == null) {
            throw new RulesException(problems);
        }
        Node format = top.get("format");
        if (format != null && !"1".equals(scalar(format, "format"))) {
            problem(format, "format", "this Commitcast reads rules format 1, the file says " + scalar(format, "format"));
        }
        KeySpace keySpace = keySpace(top.get("keyspace"));
        Defaults defaults = defaults(top.get("defaults"));
        List<KeyKind> kinds = kinds(top.get("kinds"), defaults);
        Map<String, KeyKind> byName = new LinkedHashMap<>();
        kinds.forEach(k -> byName.put(k.name(), k));
        checkShapes(kinds, top.get("kinds"));
        Map<String, TableRule> tables = tables(top.get("tables"), byName, kinds.size());
        if (!problems.isEmpty() || keySpace == null) {
            if (problems.isEmpty()) {
                problem(root, "keyspace", "missing");
            }
            problems.sort(java.util.Comparator.comparingInt(RulesException.Problem::line)); // file order
            throw new RulesException(problems);
        }
        return new Rules(source, keySpace, keySpace, kinds, tables);
    }

    // ---------------------------------------------------------------------------------------------------- sections

    private KeySpace keySpace(Node node) {
        if (node == null) {
            problem(null, "keyspace", "missing: declare the key prefix and layout version, e.g. "
                    + "keyspace: { prefix: cc, version: 1 }");
            return null;
        }
        Map<String, Node> map = mapping(node, "keyspace", Set.of("prefix", "version"));
        if (map == null) {
            return null;
        }
        String prefix = requiredScalar(map, node, "keyspace", "prefix");
        Integer version = positiveInt(map, node, "keyspace", "version", true);
        if (prefix == null || version == null) {
            return null;
        }
        try {
            return new KeySpace(prefix, version);
        } catch (IllegalArgumentException e) {
            problem(map.get("prefix"), "keyspace.prefix", e.getMessage());
            return null;
        }
    }

    private record Defaults(Duration ttl, double jitter, Duration negativeTtl) {
    }

    private Defaults defaults(Node node) {
        if (node == null) {
            return new Defaults(null, DEFAULT_JITTER, DEFAULT_NEGATIVE_TTL);
        }
        Map<String, Node> map = mapping(node, "defaults", Set.of("ttl", "jitter", "negative-ttl"));
        if (map == null) {
            return new Defaults(null, DEFAULT_JITTER, DEFAULT_NEGATIVE_TTL);
        }
        Duration ttl = map.containsKey("ttl") ? ttl(map.get("ttl"), "defaults.ttl") : null;
        Double jitter = map.containsKey("jitter") ? jitter(map.get("jitter"), "defaults.jitter") : null;
        Duration negative = map.containsKey("negative-ttl") ? ttl(map.get("negative-ttl"), "defaults.negative-ttl")
                : null;
        return new Defaults(ttl, jitter == null ? DEFAULT_JITTER : jitter,
                negative == null ? DEFAULT_NEGATIVE_TTL : negative);
    }

    private List<KeyKind> kinds(Node node, Defaults defaults) {
        List<KeyKind> kinds = new ArrayList<>();
        if (node == null) {
            problem(null, "kinds", "missing: declare at least one cached kind, e.g. kinds: { user: { key: "
                    + "\"user:{id}\", parts: { id: bigint }, ttl: 10m } }");
            return kinds;
        }
        Map<String, Node> map = mapping(node, "kinds", null);
        if (map == null) {
            return kinds;
        }
        if (map.isEmpty()) {
            problem(node, "kinds", "declare at least one kind");
        }
        for (Map.Entry<String, Node> entry : map.entrySet()) {
            String name = entry.getKey();
            String path = "kinds." + name;
            if (!NAME.matcher(name).matches()) {
                problem(keyNode(node, name), path, "a kind name is [a-z][a-z0-9_]*, e.g. user_list");
                continue;
            }
            KeyKind kind = kind(name, kinds.size(), entry.getValue(), path, defaults);
            if (kind != null) {
                kinds.add(kind);
            }
        }
        return kinds;
    }

    private KeyKind kind(String name, int index, Node node, String path, Defaults defaults) {
        Map<String, Node> map = mapping(node, path, Set.of("key", "parts", "hash-tag", "ttl", "jitter",
                "negative-ttl"));
        if (map == null) {
            return null;
        }
        int before = problems.size();
        List<KeyPart> parts = new ArrayList<>();
        Node partsNode = map.get("parts");
        if (partsNode != null && !(partsNode instanceof ScalarNode scalar && scalar.getValue().isEmpty())) {
            Map<String, Node> declared = mapping(partsNode, path + ".parts", null);
            if (declared != null) {
                for (Map.Entry<String, Node> part : declared.entrySet()) {
                    String partPath = path + ".parts." + part.getKey();
                    if (!NAME.matcher(part.getKey()).matches()) {
                        problem(keyNode(partsNode, part.getKey()), partPath, "a part name is [a-z][a-z0-9_]*");
                        continue;
                    }
                    String typeName = scalar(part.getValue(), partPath);
                    PartType type = typeName == null ? null : PartType.named(typeName);
                    if (type == null) {
                        problem(part.getValue(), partPath, "unknown type " + quote(typeName)
                                + "; use bigint, int, text or uuid");
                        continue;
                    }
                    parts.add(new KeyPart(part.getKey(), type));
                }
            }
        }
        int hashTag = -1;
        Node tagNode = map.get("hash-tag");
        if (tagNode != null) {
            String tag = scalar(tagNode, path + ".hash-tag");
            for (int i = 0; i < parts.size(); i++) {
                if (parts.get(i).name().equals(tag)) {
                    hashTag = i;
                }
            }
            if (tag != null && hashTag < 0) {
                problem(tagNode, path + ".hash-tag", "names no declared part; declared parts are " + names(parts));
            }
        }
        String template = requiredScalar(map, node, path, "key");
        String[] literals = null;
        int[] segmentPart = null;
        if (template != null) {
            String[] segments = template.split(":", -1);
            literals = new String[segments.length];
            segmentPart = new int[segments.length];
            boolean[] used = new boolean[parts.size()];
            Node keyNode = map.get("key");
            for (int s = 0; s < segments.length; s++) {
                String segment = segments[s];
                segmentPart[s] = -1;
                if (segment.startsWith("{") && segment.endsWith("}") && segment.length() > 2) {
                    String partName = segment.substring(1, segment.length() - 1);
                    int part = indexOf(parts, partName);
                    if (part < 0) {
                        problem(keyNode, path + ".key", "unknown part {" + partName + "} in the template; declared "
                                + "parts are " + names(parts));
                    } else if (used[part]) {
                        problem(keyNode, path + ".key", "part {" + partName + "} appears twice in the template");
                    } else {
                        used[part] = true;
                        segmentPart[s] = part;
                    }
                } else if (segment.isEmpty()) {
                    problem(keyNode, path + ".key", "empty segment in " + quote(template)
                            + " (segments are separated by a single ':')");
                } else if (!LITERAL.matcher(segment).matches()) {
                    problem(keyNode, path + ".key", "segment " + quote(segment) + " is neither a literal "
                            + "([A-Za-z0-9_.-]+) nor one part ({name}); a part must be a whole segment");
                } else {
                    literals[s] = segment;
                }
            }
            for (int i = 0; i < parts.size(); i++) {
                if (!used[i]) {
                    problem(partsNode, path + ".parts." + parts.get(i).name(), "declared but not in the key "
                            + "template " + quote(template));
                }
            }
        }
        Duration ttl = map.containsKey("ttl") ? ttl(map.get("ttl"), path + ".ttl") : defaults.ttl();
        if (ttl == null && !map.containsKey("ttl")) {
            problem(node, path, "no ttl: set " + path + ".ttl or defaults.ttl (TTLs are the safety net that bounds "
                    + "staleness if an event is ever lost)");
        }
        Double jitter = map.containsKey("jitter") ? jitter(map.get("jitter"), path + ".jitter") : defaults.jitter();
        Duration negative = map.containsKey("negative-ttl") ? ttl(map.get("negative-ttl"), path + ".negative-ttl")
                : defaults.negativeTtl();
        if (problems.size() > before || ttl == null || jitter == null || negative == null) {
            return null;
        }
        return new KeyKind(name, index, template, parts, hashTag, literals, segmentPart, ttl, jitter, negative);
    }

    /** Two kinds whose templates can render the same string would make a key mean two things. */
    private void checkShapes(List<KeyKind> kinds, Node kindsNode) {
        for (int a = 0; a < kinds.size(); a++) {
            for (int b = a + 1; b < kinds.size(); b++) {
                KeyKind first = kinds.get(a);
                KeyKind second = kinds.get(b);
                if (mayOverlap(first, second)) {
                    problem(keyNode(kindsNode, second.name()), "kinds." + second.name() + ".key", "has the same key "
                            + "shape as kind " + first.name() + " (" + quote(second.template()) + " and "
                            + quote(first.template()) + " can render the same key); make a literal segment differ");
                }
            }
        }
    }

    private static boolean mayOverlap(KeyKind first, KeyKind second) {
        if (first.segments() != second.segments()) {
            return false;
        }
        for (int s = 0; s < first.segments(); s++) {
            if (!segmentsMayOverlap(first, second, s)) {
                return false;
            }
        }
        return true;
    }

    private static boolean segmentsMayOverlap(KeyKind first, KeyKind second, int s) {
        String l1 = first.literal(s);
        String l2 = second.literal(s);
        if (l1 != null && l2 != null) {
            return l1.equals(l2);
        }
        if (l1 != null || l2 != null) {
            KeyKind partKind = l1 != null ? second : first;
            String literal = l1 != null ? l1 : l2;
            int part = partKind.segmentPart(s);
            if (part == partKind.hashTagIndex()) {
                return false; // a hash-tag segment is in braces, a literal never is
            }
            return partKind.parts().get(part).type().accepts(literal, 0, literal.length());
        }
        int p1 = first.segmentPart(s);
        int p2 = second.segmentPart(s);
        if ((p1 == first.hashTagIndex()) != (p2 == second.hashTagIndex())) {
            return false;
        }
        PartType t1 = first.parts().get(p1).type();
        PartType t2 = second.parts().get(p2).type();
        if (t1 == PartType.TEXT || t2 == PartType.TEXT || t1 == t2) {
            return true;
        }
        return (t1 == PartType.BIGINT || t1 == PartType.INT) && (t2 == PartType.BIGINT || t2 == PartType.INT);
    }

    private Map<String, TableRule> tables(Node node, Map<String, KeyKind> kinds, int kindCount) {
        Map<String, TableRule> tables = new LinkedHashMap<>();
        if (node == null) {
            problem(null, "tables", "missing: declare what the changes of each captured table invalidate");
            return tables;
        }
        Map<String, Node> map = mapping(node, "tables", null);
        if (map == null) {
            return tables;
        }
        if (map.isEmpty()) {
            problem(node, "tables", "declare at least one table");
        }
        for (Map.Entry<String, Node> entry : map.entrySet()) {
            String qualified = entry.getKey();
            String path = "tables." + qualified;
            String[] names = qualified.split("\\.", -1);
            if (names.length != 2 || !IDENTIFIER.matcher(names[0]).matches()
                    || !IDENTIFIER.matcher(names[1]).matches()) {
                problem(keyNode(node, qualified), path, "a table is named schema.table, e.g. public."
                        + (names.length == 1 ? names[0] : "users"));
                continue;
            }
            TableRule rule = table(names[0], names[1], entry.getValue(), path, kinds, kindCount);
            if (rule != null) {
                tables.put(qualified, rule);
            }
        }
        return tables;
    }

    private TableRule table(String schema, String table, Node node, String path, Map<String, KeyKind> kinds,
                            int kindCount) {
        Map<String, Node> map = mapping(node, path, Set.of("invalidate", "on-delete", "on-truncate",
                "ignore-columns"));
        if (map == null) {
            return null;
        }
        int before = problems.size();
        List<TableRule.Binding> bindings = new ArrayList<>();
        Node invalidate = map.get("invalidate");
        if (invalidate != null) {
            List<Node> items = sequence(invalidate, path + ".invalidate");
            for (int i = 0; items != null && i < items.size(); i++) {
                TableRule.Binding binding = binding(items.get(i), path + ".invalidate[" + i + "]", kinds);
                if (binding != null) {
                    bindings.add(binding);
                }
            }
        }
        List<TableRule.DeleteNamespace> onDelete = new ArrayList<>();
        Node deleteNode = map.get("on-delete");
        if (deleteNode != null) {
            List<Node> items = sequence(deleteNode, path + ".on-delete");
            for (int i = 0; items != null && i < items.size(); i++) {
                TableRule.DeleteNamespace namespace = deleteNamespace(items.get(i), path + ".on-delete[" + i + "]",
                        kinds);
                if (namespace != null) {
                    onDelete.add(namespace);
                }
            }
        }
        if (invalidate == null && deleteNode == null) {
            problem(node, path, "invalidates nothing: give it 'invalidate' (keys bound to columns) or 'on-delete'");
        }
        Set<String> ignored = new LinkedHashSet<>();
        Node ignoreNode = map.get("ignore-columns");
        if (ignoreNode != null) {
            List<Node> items = sequence(ignoreNode, path + ".ignore-columns");
            for (int i = 0; items != null && i < items.size(); i++) {
                String column = scalar(items.get(i), path + ".ignore-columns[" + i + "]");
                if (column != null) {
                    ignored.add(column);
                }
            }
            for (TableRule.Binding binding : bindings) {
                for (String column : binding.columns()) {
                    if (ignored.contains(column)) {
                        problem(ignoreNode, path + ".ignore-columns", "column " + column + " is bound to kind "
                                + binding.kind().name() + ": a change of it moves the key, so it cannot be ignored");
                    }
                }
            }
            for (TableRule.DeleteNamespace namespace : onDelete) {
                if (namespace.tagColumn() != null && ignored.contains(namespace.tagColumn())) {
                    problem(ignoreNode, path + ".ignore-columns", "column " + namespace.tagColumn() + " is the "
                            + "hash tag of an on-delete namespace, so it cannot be ignored");
                }
            }
        }
        Invalidation onTruncate = truncate(map.get("on-truncate"), path + ".on-truncate", kinds, kindCount,
                bindings, onDelete);
        if (problems.size() > before || onTruncate == null) {
            return null;
        }
        return new TableRule(schema, table, line(node), bindings, onDelete, onTruncate, ignored);
    }

    private TableRule.Binding binding(Node node, String path, Map<String, KeyKind> kinds) {
        Map<String, Node> map = mapping(node, path, Set.of("kind", "bind"));
        if (map == null) {
            return null;
        }
        String kindName = requiredScalar(map, node, path, "kind");
        if (kindName == null) {
            return null;
        }
        KeyKind kind = kinds.get(kindName);
        if (kind == null) {
            problem(map.get("kind"), path + ".kind", "unknown kind " + quote(kindName) + "; declared kinds are "
                    + kinds.keySet());
            return null;
        }
        Node bindNode = map.get("bind");
        Map<String, Node> bind = bindNode == null ? Map.of() : mapping(bindNode, path + ".bind", null);
        if (bind == null) {
            return null;
        }
        List<String> columns = new ArrayList<>();
        boolean ok = true;
        for (KeyPart part : kind.parts()) {
            Node column = bind.get(part.name());
            if (column == null) {
                problem(bindNode == null ? node : bindNode, path + ".bind", "part " + part.name() + " of kind "
                        + kind.name() + " is bound to no column (bind: { " + part.name() + ": <column> })");
                ok = false;
            } else {
                String name = scalar(column, path + ".bind." + part.name());
                ok &= name != null;
                columns.add(name);
            }
        }
        for (String bound : bind.keySet()) {
            if (indexOf(kind.parts(), bound) < 0) {
                problem(keyNode(bindNode, bound), path + ".bind." + bound, "kind " + kind.name() + " has no part "
                        + bound + "; its parts are " + names(kind.parts()));
                ok = false;
            }
        }
        return ok ? new TableRule.Binding(kind, columns) : null;
    }

    private TableRule.DeleteNamespace deleteNamespace(Node node, String path, Map<String, KeyKind> kinds) {
        if (node instanceof ScalarNode scalar && "all".equals(scalar.getValue())) {
            return new TableRule.DeleteNamespace(List.copyOf(kinds.values()), null, null);
        }
        Map<String, Node> map = mapping(node, path, Set.of("kinds", "hash-tag"));
        if (map == null) {
            return null;
        }
        String tagColumn = map.containsKey("hash-tag") ? scalar(map.get("hash-tag"), path + ".hash-tag") : null;
        List<KeyKind> selected = map.containsKey("kinds") ? kindList(map.get("kinds"), path + ".kinds", kinds) : null;
        if (selected == null && map.containsKey("kinds")) {
            return null;
        }
        if (tagColumn == null) {
            if (selected == null) {
                problem(node, path, "name kinds ({ kinds: [a, b] }), a hash tag ({ hash-tag: <column> }), both, "
                        + "or all");
                return null;
            }
            return new TableRule.DeleteNamespace(selected, null, null);
        }
        if (selected == null) {
            selected = new ArrayList<>();
            for (KeyKind kind : kinds.values()) {
                if (kind.hashTagIndex() >= 0) {
                    selected.add(kind);
                }
            }
            if (selected.isEmpty()) {
                problem(node, path + ".hash-tag", "no kind has a hash tag");
                return null;
            }
        }
        PartType type = null;
        for (KeyKind kind : selected) {
            if (kind.hashTagIndex() < 0) {
                problem(node, path + ".kinds", "kind " + kind.name() + " has no hash tag, so it cannot be scoped to "
                        + "one hash-tag value; list it in a separate entry without hash-tag");
                return null;
            }
            PartType tagType = kind.parts().get(kind.hashTagIndex()).type();
            if (type != null && type != tagType) {
                problem(node, path, "its kinds' hash tags have different types (" + type.yamlName() + ", "
                        + tagType.yamlName() + "); list the kinds that share the column's type");
                return null;
            }
            type = tagType;
        }
        return new TableRule.DeleteNamespace(selected, tagColumn, type);
    }

    private Invalidation truncate(Node node, String path, Map<String, KeyKind> kinds, int kindCount,
                                  List<TableRule.Binding> bindings, List<TableRule.DeleteNamespace> onDelete) {
        List<KeyKind> all = List.copyOf(kinds.values());
        // every kind a row change of this table can invalidate: a TRUNCATE removes every row, so it must bust them all
        Set<KeyKind> affected = new LinkedHashSet<>();
        bindings.forEach(b -> affected.add(b.kind()));
        onDelete.forEach(n -> affected.addAll(n.kinds()));
        if (node == null) {
            // the default: those kinds, under every hash-tag value
            if (affected.isEmpty()) {
                return null;
            }
            return Invalidation.of(new Namespace(new ArrayList<>(affected), kindCount, null));
        }
        if (node instanceof ScalarNode scalar && "all".equals(scalar.getValue())) {
            return Invalidation.of(new Namespace(all, kindCount, null));
        }
        Map<String, Node> map = mapping(node, path, Set.of("kinds"));
        if (map == null) {
            return null;
        }
        Node kindsNode = map.get("kinds");
        if (kindsNode == null) {
            problem(node, path, "name the kinds a TRUNCATE invalidates ({ kinds: [a, b] }) or write all");
            return null;
        }
        List<KeyKind> selected = kindList(kindsNode, path + ".kinds", kinds);
        if (selected == null) {
            return null;
        }
        List<String> missing = affected.stream().filter(k -> !selected.contains(k)).map(KeyKind::name).toList();
        if (!missing.isEmpty()) {
            problem(kindsNode, path + ".kinds", "must include every kind this table's invalidate and on-delete name "
                    + "(missing " + missing + "): a TRUNCATE removes every row, so every key a row can bust goes "
                    + "stale; list more kinds, not fewer (or leave on-truncate out for exactly those)");
            return null;
        }
        return Invalidation.of(new Namespace(selected, kindCount, null));
    }

    private List<KeyKind> kindList(Node node, String path, Map<String, KeyKind> kinds) {
        List<Node> items = sequence(node, path);
        if (items == null) {
            return null;
        }
        if (items.isEmpty()) {
            problem(node, path, "list at least one kind");
            return null;
        }
        List<KeyKind> selected = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String name = scalar(items.get(i), path + "[" + i + "]");
            KeyKind kind = name == null ? null : kinds.get(name);
            if (name != null && kind == null) {
                problem(items.get(i), path + "[" + i + "]", "unknown kind " + quote(name) + "; declared kinds are "
                        + kinds.keySet());
                return null;
            }
            if (kind != null) {
                selected.add(kind);
            }
        }
        return selected.size() == items.size() ? selected : null;
    }

    // -------------------------------------------------------------------------------------------------- values

    private Duration ttl(Node node, String path) {
        String text = scalar(node, path);
        if (text == null) {
            return null;
        }
        Duration ttl = parseDuration(text);
        if (ttl == null) {
            problem(node, path, "not a duration: " + quote(text) + "; write e.g. 250ms, 30s, 10m, 1h, 1d");
            return null;
        }
        if (ttl.isZero() || ttl.isNegative()) {
            problem(node, path, "must be positive, was " + text + " (a TTL of 0 would cache nothing)");
            return null;
        }
        if (ttl.compareTo(MAX_TTL) > 0) {
            problem(node, path, "must be at most 365d, was " + text);
            return null;
        }
        return ttl;
    }

    static Duration parseDuration(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(value);
        if (m.matches()) {
            long amount;
            try {
                amount = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                return null;
            }
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        if (value.startsWith("p")) {
            try {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    private Double jitter(Node node, String path) {
        String text = scalar(node, path);
        if (text == null) {
            return null;
        }
        double value;
        try {
            value = text.endsWith("%") ? Double.parseDouble(text.substring(0, text.length() - 1).strip()) / 100
                    : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            problem(node, path, "not a fraction: " + quote(text) + "; write e.g. 10% or 0.1");
            return null;
        }
        if (!(value >= 0 && value <= MAX_JITTER)) {
            problem(node, path, "must be within [0, 50%], was " + text);
            return null;
        }
        return value;
    }

    private Integer positiveInt(Map<String, Node> map, Node parent, String path, String key, boolean required) {
        Node node = map.get(key);
        if (node == null) {
            if (required) {
                problem(parent, path + "." + key, "missing");
            }
            return null;
        }
        String text = scalar(node, path + "." + key);
        if (text == null) {
            return null;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(node, path + "." + key, "must be an integer >= 1, was " + quote(text));
        return null;
    }

    // -------------------------------------------------------------------------------------------- YAML access

    /** A mapping's entries by key; null (and a problem) when not a mapping. Reports duplicate and unknown keys. */
    private Map<String, Node> mapping(Node node, String path, Set<String> allowed) {
        if (!(node instanceof MappingNode mapping)) {
            problem(node, path.isEmpty() ? "(top level)" : path, "expected a mapping (key: value)");
            return null;
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : null;
            String keyPath = path.isEmpty() ? String.valueOf(key) : path + "." + key;
            if (key == null) {
                problem(tuple.getKeyNode(), path, "keys must be plain strings");
                continue;
            }
            if (entries.containsKey(key)) {
                problem(tuple.getKeyNode(), keyPath, "duplicate key (also on line "
                        + line(entries.get(key)) + ")");
                continue;
            }
            if (allowed != null && !allowed.contains(key)) {
                problem(tuple.getKeyNode(), keyPath, "unknown key; allowed here: " + new java.util.TreeSet<>(allowed));
                continue;
            }
            entries.put(key, tuple.getValueNode());
        }
        return entries;
    }

    private List<Node> sequence(Node node, String path) {
        if (node instanceof SequenceNode sequence) {
            return sequence.getValue();
        }
        problem(node, path, "expected a list ([a, b] or lines starting with '- ')");
        return null;
    }

    private String scalar(Node node, String path) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        problem(node, path, "expected a single value");
        return null;
    }

    private String requiredScalar(Map<String, Node> map, Node parent, String path, String key) {
        Node node = map.get(key);
        if (node == null) {
            problem(parent, path + "." + key, "missing");
            return null;
        }
        String value = scalar(node, path + "." + key);
        if (value != null && value.isBlank()) {
            problem(node, path + "." + key, "must not be empty");
            return null;
        }
        return value;
    }

    private static Node keyNode(Node mapping, String key) {
        if (mapping instanceof MappingNode map) {
            for (NodeTuple tuple : map.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode scalar && scalar.getValue().equals(key)) {
                    return tuple.getKeyNode();
                }
            }
        }
        return mapping;
    }

    private static int line(Node node) {
        return node == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private void problem(Node node, String path, String message) {
        problems.add(new RulesException.Problem(source, line(node), path, message));
    }

    private static int indexOf(List<KeyPart> parts, String name) {
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> names(List<KeyPart> parts) {
        List<String> names = new ArrayList<>();
        parts.forEach(p -> names.add(p.name()));
        return names;
    }

    private static String quote(String text) {
        return text == null ? "null" : "\"" + text + "\"";
    }
}
