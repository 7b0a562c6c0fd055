package dev.commitcast.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The loaded rules file: the key space, the cached kinds and, per captured table, what a row change makes stale. The
 * one definition every process shares (connector, invalidator, API, cli), so keys and rules cannot drift apart; see
 * {@code docs/rules.md} for the file format.
 *
 * <p>{@link #evaluate(RowChange)} maps a change to the keys and namespaces it invalidates: every present image (before
 * and after) is evaluated and the results united, so a row that moves between parents busts both. Keys covered by a
 * namespace of the same change are left out.
 *
 * <p>The {@link #fingerprint()} identifies what the rules mean for invalidation (key space, kinds' key shapes, table
 * rules; not TTLs, comments or formatting): processes compare it to detect that they run different rules.
 *
 * <p>Immutable and thread-safe.
 */
public final class Rules {

    private final String source;
    private final KeySpace declaredKeySpace;
    private final KeySpace keySpace;
    private final List<KeyKind> kinds;
    private final Map<String, KeyKind> kindsByName;
    private final Map<String, TableRule> tables;
    private final String fingerprint;
    private final Namespace everything;
    /** Kinds by number of key segments, for parsing. */
    private final Map<Integer, List<KeyKind>> kindsBySegments;

    Rules(String source, KeySpace declaredKeySpace, KeySpace keySpace, List<KeyKind> kinds,
          Map<String, TableRule> tables) {
        this.source = source;
        this.declaredKeySpace = declaredKeySpace;
        this.keySpace = keySpace;
        this.kinds = List.copyOf(kinds);
        Map<String, KeyKind> byName = new LinkedHashMap<>();
        Map<Integer, List<KeyKind>> bySegments = new LinkedHashMap<>();
        for (KeyKind kind : kinds) {
            byName.put(kind.name(), kind);
            bySegments.computeIfAbsent(kind.segments(), n -> new ArrayList<>()).add(kind);
        }
        this.kindsByName = Map.copyOf(byName);
        this.kindsBySegments = Map.copyOf(bySegments);
        this.tables = Map.copyOf(tables);
        this.everything = new Namespace(this.kinds, this.kinds.size(), null);
        this.fingerprint = fingerprint(declaredKeySpace, this.kinds, tables.values());
    }

    /**
     * Loads and validates a rules file.
     *
     * @throws RulesException naming the file, line and entry of every problem, or why the file cannot be read
     */
    public static Rules load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RulesException(List.of(new RulesException.Problem(file.toString(), 0, "",
                    "cannot read the rules file: " + e)));
        }
        return parse(text, file.toString());
    }

    /**
     * Parses and validates rules given as YAML text.
     *
     * @param source the name problems are reported under, usually the file's path
     * @throws RulesException naming the line and entry of every problem
     */
    public static Rules parse(String yaml, String source) {
        return new RulesLoader(source).load(yaml);
    }

    /**
     * Returns these rules in another environment's key space: same layout version, another prefix (tests and
     * environments sharing one Redis isolate by it). The fingerprint is unchanged.
     */
    public Rules withKeySpacePrefix(String prefix) {
        return new Rules(source, declaredKeySpace, keySpace.withPrefix(prefix), kinds, tables);
    }

    /** Returns where the rules were loaded from. */
    public String source() {
        return source;
    }

    /** Returns the key space keys are rendered in (the declared one, unless {@link #withKeySpacePrefix} moved it). */
    public KeySpace keySpace() {
        return keySpace;
    }

    /** Returns the key space the rules file declares. */
    public KeySpace declaredKeySpace() {
        return declaredKeySpace;
    }

    /** Returns the fingerprint: 16 hex digits of a SHA-256 of what the rules mean for invalidation. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Returns the kinds in declaration order. */
    public List<KeyKind> kinds() {
        return kinds;
    }

    /** Returns the kind of that name. @throws IllegalArgumentException naming the declared kinds */
    public KeyKind kind(String name) {
        KeyKind kind = kindsByName.get(name);
        if (kind == null) {
            throw new IllegalArgumentException("no kind '" + name + "' in the rules (" + source + "); declared kinds "
                    + "are " + kindsByName.keySet());
        }
        return kind;
    }

    /** Returns the kind of that name, if declared. */
    public Optional<KeyKind> findKind(String name) {
        return Optional.ofNullable(kindsByName.get(name));
    }

    /** Returns the table rules, sorted by qualified name. */
    public List<TableRule> tables() {
        List<TableRule> sorted = new ArrayList<>(tables.values());
        sorted.sort((a, b) -> a.qualifiedName().compareTo(b.qualifiedName()));
        return sorted;
    }

    /** Returns the rule of a schema-qualified table, if any. */
    public Optional<TableRule> table(String qualifiedName) {
        return Optional.ofNullable(tables.get(qualifiedName));
    }

    /** Returns the namespace of every key of every kind. */
    public Namespace everything() {
        return everything;
    }

    /**
     * Returns the namespace of the given kinds (all kinds when empty), optionally under one rendered hash-tag value.
     *
     * @throws IllegalArgumentException if a tag is given and a kind has no hash tag
     */
    public Namespace namespace(Collection<KeyKind> kinds, String hashTag) {
        return new Namespace(kinds.isEmpty() ? this.kinds : List.copyOf(kinds), this.kinds.size(), hashTag);
    }

    /**
     * Parses a namespace's wire form ({@link Namespace#wire()}): {@code *}, {@code tag=42}, {@code kinds=a,b} or
     * {@code tag=42;kinds=a,b}. A tag without kinds means every kind that has a hash tag.
     *
     * @throws IllegalArgumentException quoting the input and naming what is wrong
     */
    public Namespace parseNamespace(String wire) {
        Objects.requireNonNull(wire, "wire");
        if (wire.equals("*")) {
            return everything;
        }
        String tag = null;
        String rest = wire;
        if (rest.startsWith("tag=")) {
            int end = rest.indexOf(';');
            tag = rest.substring(4, end < 0 ? rest.length() : end);
            if (tag.isEmpty() || tag.indexOf('{') >= 0 || tag.indexOf('}') >= 0 || tag.indexOf(':') >= 0) {
                throw badNamespace(wire, "the tag must be a rendered hash-tag value, e.g. tag=42");
            }
            rest = end < 0 ? "" : rest.substring(end + 1);
            if (end >= 0 && rest.isEmpty()) {
                throw badNamespace(wire, "nothing after ';'");
            }
        }
        List<KeyKind> selected = new ArrayList<>();
        if (rest.isEmpty()) {
            if (tag == null) {
                throw badNamespace(wire, "expected \"*\", \"tag=<value>\", \"kinds=<kind,...>\" or both joined by ';'");
            }
            for (KeyKind kind : kinds) {
                if (kind.hashTagIndex() >= 0) {
                    selected.add(kind);
                }
            }
        } else {
            if (!rest.startsWith("kinds=")) {
                throw badNamespace(wire, "expected \"*\", \"tag=<value>\", \"kinds=<kind,...>\" or both joined by ';'");
            }
            Set<String> seen = new LinkedHashSet<>();
            for (String name : rest.substring(6).split(",", -1)) {
                KeyKind kind = kindsByName.get(name);
                if (kind == null) {
                    throw badNamespace(wire, "unknown kind \"" + name + "\"; declared kinds are " + kindsByName.keySet());
                }
                if (!seen.add(name)) {
                    throw badNamespace(wire, "kind " + name + " listed twice");
                }
                selected.add(kind);
            }
        }
        if (tag != null) {
            for (KeyKind kind : selected) {
                KeyPart tagPart = kind.hashTagPart().orElse(null);
                if (tagPart != null && !tagPart.type().accepts(tag, 0, tag.length())) {
                    throw badNamespace(wire, "\"" + tag + "\" is not how a " + tagPart.type().yamlName()
                            + " renders in a key (kind " + kind.name() + "'s hash tag {" + tagPart.name()
                            + "}), so no key has it: write it as a key shows it, e.g. 42 not 042, a uuid in lower case");
                }
            }
        }
        try {
            return new Namespace(selected, kinds.size(), tag);
        } catch (IllegalArgumentException e) {
            throw badNamespace(wire, e.getMessage());
        }
    }

    private static IllegalArgumentException badNamespace(String wire, String reason) {
        return new IllegalArgumentException("not a namespace: \"" + wire + "\": " + reason);
    }

    /**
     * Parses a key path ({@link CacheKey#path()}, e.g. {@code org:{42}:user:9}).
     *
     * @throws IllegalArgumentException if no kind renders exactly this path
     */
    public CacheKey parseKey(String path) {
        CacheKey key = tryParseKey(path);
        if (key == null) {
            throw new IllegalArgumentException("\"" + path + "\" is not a key of any kind of the rules (" + source
                    + ")");
        }
        return key;
    }

    /** Parses a key path, or returns null when no kind renders it. */
    public CacheKey tryParseKey(String path) {
        int segments = 1;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == ':') {
                segments++;
            }
        }
        for (KeyKind kind : kindsBySegments.getOrDefault(segments, List.of())) {
            CacheKey key = kind.tryParse(path);
            if (key != null) {
                return key;
            }
        }
        return null;
    }

    /**
     * Returns the key a Redis key of this key space stores the value or the fill lease of, or null when it is
     * neither (another key space or version, a platform key, an unknown shape).
     */
    public CacheKey keyOfRedisKey(String redisKey) {
        String prefix = keySpace.keyPrefix();
        if (!redisKey.startsWith(prefix)) {
            return null;
        }
        String path = redisKey.substring(prefix.length());
        CacheKey key = tryParseKey(path);
        if (key == null) {
            String value = KeySpace.valueKeyOfLease(redisKey);
            if (value != null) {
                key = tryParseKey(value.substring(prefix.length()));
            }
        }
        return key;
    }

    /**
     * Returns what the change invalidates; never empty for a table with rules unless an update changed only
     * ignored columns.
     *
     * @throws MalformedChangeException if the table has no rules, the operation's required image is missing, or an
     *                                  image lacks a bound column or holds a value its key part rejects
     */
    public Invalidation evaluate(RowChange change) {
        Objects.requireNonNull(change, "change");
        String qualified = change.qualifiedTable();
        TableRule rule = tables.get(qualified);
        if (rule == null) {
            throw new MalformedChangeException(qualified, change.op(), null,
                    "no rules for this table; tables with rules are " + new java.util.TreeSet<>(tables.keySet()));
        }
        if (change.op() == Operation.TRUNCATE) {
            return rule.onTruncate();
        }
        boolean delete = change.op() == Operation.DELETE;
        if ((delete ? change.before() : change.after()) == null) {
            throw new MalformedChangeException(qualified, change.op(), null,
                    (delete ? "before" : "after") + " image missing");
        }
        if (change.op() == Operation.UPDATE && onlyIgnoredChanged(rule, change)) {
            return Invalidation.empty();
        }
        Set<Namespace> namespaces = new LinkedHashSet<>();
        if (delete) {
            for (TableRule.DeleteNamespace onDelete : rule.onDelete()) {
                Namespace namespace = deleteNamespace(change, onDelete);
                if (namespace != null) {
                    namespaces.add(namespace);
                }
            }
        }
        Set<CacheKey> keys = new LinkedHashSet<>();
        addKeys(rule, change, "before", change.before(), namespaces, keys);
        addKeys(rule, change, "after", change.after(), namespaces, keys);
        return new Invalidation(keys, namespaces);
    }

    private void addKeys(TableRule rule, RowChange change, String imageName, Map<String, Object> image,
                         Set<Namespace> namespaces, Set<CacheKey> keys) {
        if (image == null) {
            return;
        }
        for (TableRule.Binding binding : rule.bindings()) {
            CacheKey key = key(change, imageName, image, binding);
            if (key != null && !covered(key, namespaces)) {
                keys.add(key);
            }
        }
    }

    private static boolean covered(CacheKey key, Set<Namespace> namespaces) {
        for (Namespace namespace : namespaces) {
            if (namespace.matches(key)) {
                return true;
            }
        }
        return false;
    }

    /** The key of a binding in one image; null when a bound column is NULL (no such key can exist). */
    private CacheKey key(RowChange change, String imageName, Map<String, Object> image, TableRule.Binding binding) {
        List<String> columns = binding.columns();
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            String column = columns.get(i);
            if (!image.containsKey(column)) {
                throw new MalformedChangeException(change.qualifiedTable(), change.op(), column,
                        "column '" + column + "' missing in " + imageName + " image");
            }
            values[i] = image.get(column);
            if (values[i] == null) {
                return null;
            }
        }
        try {
            return binding.kind().key(values);
        } catch (IllegalArgumentException e) {
            throw new MalformedChangeException(change.qualifiedTable(), change.op(), null,
                    imageName + " image: " + e.getMessage());
        }
    }

    private Namespace deleteNamespace(RowChange change, TableRule.DeleteNamespace onDelete) {
        if (onDelete.tagColumn() == null) {
            return new Namespace(onDelete.kinds(), kinds.size(), null);
        }
        String column = onDelete.tagColumn();
        if (!change.before().containsKey(column)) {
            throw new MalformedChangeException(change.qualifiedTable(), change.op(), column,
                    "column '" + column + "' missing in before image");
        }
        Object value = change.before().get(column);
        if (value == null) {
            return null;
        }
        try {
            return new Namespace(onDelete.kinds(), kinds.size(), onDelete.tagType().render(value));
        } catch (IllegalArgumentException e) {
            throw new MalformedChangeException(change.qualifiedTable(), change.op(), column,
                    "before image, hash tag column '" + column + "': " + e.getMessage());
        }
    }

    private static boolean onlyIgnoredChanged(TableRule rule, RowChange change) {
        if (rule.ignoredColumns().isEmpty() || change.before() == null) {
            return false; // without a before image nothing can be proven unchanged
        }
        Map<String, Object> before = change.before();
        Map<String, Object> after = change.after();
        if (!before.keySet().equals(after.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> column : after.entrySet()) {
            if (!rule.ignoredColumns().contains(column.getKey())
                    && !Objects.equals(column.getValue(), before.get(column.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns the safe over-invalidation for an event of this table that could not be decoded or mapped: what its
     * TRUNCATE invalidates; everything for a table without rules or an unknown table ({@code null}).
     */
    public Invalidation fallbackFor(String qualifiedTable) {
        TableRule rule = qualifiedTable == null ? null : tables.get(qualifiedTable);
        return rule == null ? Invalidation.of(everything) : rule.onTruncate();
    }

    private static String fingerprint(KeySpace keySpace, List<KeyKind> kinds, Collection<TableRule> tables) {
        List<String> lines = new ArrayList<>();
        for (KeyKind kind : kinds) {
            StringBuilder sb = new StringBuilder("kind ").append(kind.name()).append(' ').append(kind.template())
                    .append(" parts");
            kind.parts().forEach(p -> sb.append(' ').append(p.name()).append(':').append(p.type().yamlName()));
            sb.append(" tag ").append(kind.hashTagPart().map(KeyPart::name).orElse("-"));
            lines.add(sb.toString());
        }
        tables.forEach(t -> lines.add(t.canonical()));
        java.util.Collections.sort(lines);
        String canonical = "commitcast-rules 1\nkeyspace " + keySpace.prefix() + " v" + keySpace.version() + "\n"
                + String.join("\n", lines);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "Rules[" + source + ", " + keySpace.keyPrefix() + ", " + kinds.size() + " kinds, " + tables.size()
                + " tables, fingerprint " + fingerprint + "]";
    }
}
