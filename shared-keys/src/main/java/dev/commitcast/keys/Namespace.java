package dev.commitcast.keys;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A scope for bulk invalidation: an optional organisation and a set of {@link KeyKind}s. Used when a change cannot
 * be reduced to individual keys (an organisation deleted, a table truncated, an unmappable event).
 *
 * <p>An empty kind set means every kind and is normalised to it, so {@code Namespace.kinds()} equals
 * {@code Namespace.kinds(KeyKind.values())} equals {@link #all()}.
 *
 * <p>Wire form ({@link #wire()}, {@link #parseWire(String)}): {@code *}, {@code org=42},
 * {@code kinds=USER,USER_LIST} or {@code org=42;kinds=SETTINGS}; kinds in declaration order. It contains no
 * space and no {@code |}, so it can be embedded in {@link EvictionCodec} lines.
 *
 * <p>Immutable and thread-safe.
 */
public final class Namespace {

    private static final Set<KeyKind> ALL_KINDS = Collections.unmodifiableSet(EnumSet.allOf(KeyKind.class));
    private static final Namespace ALL = new Namespace(0, ALL_KINDS);
    private static final String ORG = "org=";
    private static final String KINDS = "kinds=";

    /** 0 when unrestricted. */
    private final long orgId;
    private final Set<KeyKind> kinds;

    private Namespace(long orgId, Set<KeyKind> kinds) {
        this.orgId = orgId;
        this.kinds = kinds;
    }

    /** Returns the namespace of every key of every organisation. */
    public static Namespace all() {
        return ALL;
    }

    /** Returns the namespace of every key of one organisation. */
    public static Namespace org(long orgId) {
        return orgKinds(orgId);
    }

    /** Returns the namespace of the given kinds across all organisations; no kinds means every kind. */
    public static Namespace kinds(KeyKind... kinds) {
        return new Namespace(0, kindSet(kinds));
    }

    /** Returns the namespace of the given kinds of one organisation; no kinds means every kind. */
    public static Namespace orgKinds(long orgId, KeyKind... kinds) {
        if (orgId <= 0) {
            throw new IllegalArgumentException("orgId must be > 0, was " + orgId);
        }
        return new Namespace(orgId, kindSet(kinds));
    }

    /** Returns the organisation this namespace is restricted to, or empty for every organisation. */
    public OptionalLong orgId() {
        return orgId == 0 ? OptionalLong.empty() : OptionalLong.of(orgId);
    }

    /**
     * Returns the kinds covered; never empty, all kinds when unrestricted. (Not named {@code kinds()}, which would
     * shadow the static factory {@link #kinds(KeyKind...)} called without arguments.)
     */
    public Set<KeyKind> keyKinds() {
        return kinds;
    }

    /** Returns whether every kind is covered. */
    public boolean coversAllKinds() {
        return kinds.size() == ALL_KINDS.size();
    }

    /** Returns whether the key lies in this namespace. */
    public boolean matches(CacheKey key) {
        return (orgId == 0 || key.orgId() == orgId) && kinds.contains(key.kind());
    }

    /**
     * Returns Redis {@code SCAN MATCH} globs that together match the value keys of this namespace and their
     * {@code :lease} keys, and no other key {@link KeyCodec} renders in that key space (no other kind, organisation,
     * key space, nor the watermark). One pattern per kind, or a single one when all kinds are covered, because
     * every pattern costs a full SCAN pass; each pattern therefore ends in {@code *} to take in the lease suffix.
     *
     * <p>No escaping is needed: {@link KeySpace} prefixes and ids contain no glob metacharacter, and {@code { }}
     * are literal in Redis globs. An organisation-restricted pattern carries the organisation's hash tag.
     */
    public List<String> redisScanPatterns(KeySpace keySpace) {
        Objects.requireNonNull(keySpace, "keySpace");
        String org = keySpace.prefix() + ":" + KeySpace.VERSION + ":org:{" + (orgId == 0 ? "*" : orgId) + "}:";
        if (coversAllKinds()) {
            return List.of(org + "*");
        }
        List<String> patterns = new ArrayList<>(kinds.size());
        for (KeyKind kind : kinds) {
            patterns.add(org + kindPattern(kind));
        }
        return List.copyOf(patterns);
    }

    private static String kindPattern(KeyKind kind) {
        // Each pattern starts with the kind's full first segment including its delimiter, so "user:*" never
        // matches "users:first" and "role:*" never matches "roles".
        return switch (kind) {
            case SETTINGS -> "settings*";
            case ROLES -> "roles*";
            case ROLE_PERMISSIONS -> "role:*:perms*";
            case USER -> "user:*";
            case USER_LIST -> "users:first*";
        };
    }

    /** Returns the compact wire form, e.g. {@code org=42;kinds=SETTINGS}; see the class documentation. */
    public String wire() {
        StringBuilder sb = new StringBuilder();
        if (orgId != 0) {
            sb.append(ORG).append(orgId);
        }
        if (!coversAllKinds()) {
            if (!sb.isEmpty()) {
                sb.append(';');
            }
            sb.append(KINDS);
            for (KeyKind kind : kinds) {
                sb.append(kind.name()).append(',');
            }
            sb.setLength(sb.length() - 1);
        }
        return sb.isEmpty() ? "*" : sb.toString();
    }

    /**
     * Parses a {@link #wire()} form.
     *
     * @throws IllegalArgumentException quoting the input, if it is not a wire form (unknown or duplicate kind,
     *                                  org id not a canonical decimal &gt; 0, parts out of order, empty parts)
     */
    public static Namespace parseWire(String wire) {
        Objects.requireNonNull(wire, "wire");
        if (wire.equals("*")) {
            return ALL;
        }
        long org = 0;
        String rest = wire;
        if (rest.startsWith(ORG)) {
            int end = rest.indexOf(';');
            String digits = rest.substring(ORG.length(), end < 0 ? rest.length() : end);
            org = DecimalParser.parse(digits);
            if (org <= 0) {
                throw invalidWire(wire, "org id " + Quoting.quote(digits) + " is not a canonical decimal > 0");
            }
            if (end < 0) {
                return org(org);
            }
            rest = rest.substring(end + 1);
        }
        if (!rest.startsWith(KINDS)) {
            throw invalidWire(wire, "expected \"*\", \"org=<id>\", \"kinds=<KIND,...>\" or both joined by ';'");
        }
        return new Namespace(org, parseKinds(wire, rest.substring(KINDS.length())));
    }

    private static Set<KeyKind> parseKinds(String wire, String list) {
        EnumSet<KeyKind> kinds = EnumSet.noneOf(KeyKind.class);
        int start = 0;
        while (true) {
            int comma = list.indexOf(',', start);
            String name = list.substring(start, comma < 0 ? list.length() : comma);
            KeyKind kind = kindNamed(name);
            if (kind == null) {
                throw invalidWire(wire, "unknown kind " + Quoting.quote(name));
            }
            if (!kinds.add(kind)) {
                throw invalidWire(wire, "duplicate kind " + name);
            }
            if (comma < 0) {
                return normalise(kinds);
            }
            start = comma + 1;
        }
    }

    private static KeyKind kindNamed(String name) {
        for (KeyKind kind : KeyKind.values()) {
            if (kind.name().equals(name)) {
                return kind;
            }
        }
        return null;
    }

    private static Set<KeyKind> kindSet(KeyKind... kinds) {
        Objects.requireNonNull(kinds, "kinds");
        EnumSet<KeyKind> set = EnumSet.noneOf(KeyKind.class);
        for (KeyKind kind : kinds) {
            set.add(Objects.requireNonNull(kind, "kinds must not contain null"));
        }
        return set.isEmpty() ? ALL_KINDS : normalise(set);
    }

    private static Set<KeyKind> normalise(EnumSet<KeyKind> kinds) {
        return kinds.size() == ALL_KINDS.size() ? ALL_KINDS : Collections.unmodifiableSet(kinds);
    }

    private static IllegalArgumentException invalidWire(String wire, String reason) {
        return new IllegalArgumentException("not a namespace wire form: " + Quoting.quote(wire) + ": " + reason);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Namespace other && orgId == other.orgId && kinds.equals(other.kinds);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(orgId) * 31 + kinds.hashCode();
    }

    /** Returns {@code Namespace[<wire form>]}. */
    @Override
    public String toString() {
        return "Namespace[" + wire() + "]";
    }
}
