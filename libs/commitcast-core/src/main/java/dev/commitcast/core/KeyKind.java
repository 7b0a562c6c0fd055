package dev.commitcast.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One kind of cached value, as the rules file declares it: a name, a key template with named typed parts (one of
 * which may be the Redis Cluster hash tag), and its TTLs. Compiled once when the rules are loaded, so building a key
 * is a single string build: no parsing, regex or reflection per call.
 *
 * <p>A template is {@code :}-separated segments, each a literal ({@code [A-Za-z0-9_.-]+}) or one part
 * ({@code {name}}): {@code org:{org}:role:{role}:perms}. The hash-tag part renders in braces
 * ({@code org:{42}:role:7:perms}), every other part bare; values render in their type's canonical form
 * ({@link PartType}), so equal values always give equal keys.
 *
 * <p>Immutable and thread-safe; equal by name, template, parts and hash tag. Obtained from
 * {@link Rules#kind(String)}.
 */
public final class KeyKind {

    private final String name;
    private final int index;
    private final String template;
    private final List<KeyPart> parts;
    private final int hashTagPart;
    private final Duration ttl;
    private final double jitter;
    private final Duration negativeTtl;
    /** Per segment: the literal, or null for a part. */
    private final String[] literals;
    /** Per segment: the part index, or -1 for a literal. */
    private final int[] segmentPart;
    /** Per part: its segment. */
    private final int[] partSegment;
    private final int literalLength;

    KeyKind(String name, int index, String template, List<KeyPart> parts, int hashTagPart, String[] literals,
            int[] segmentPart, Duration ttl, double jitter, Duration negativeTtl) {
        this.name = name;
        this.index = index;
        this.template = template;
        this.parts = List.copyOf(parts);
        this.hashTagPart = hashTagPart;
        this.literals = literals.clone();
        this.segmentPart = segmentPart.clone();
        this.partSegment = new int[parts.size()];
        int length = 0;
        for (int s = 0; s < literals.length; s++) {
            if (segmentPart[s] >= 0) {
                partSegment[segmentPart[s]] = s;
            } else {
                length += literals[s].length();
            }
        }
        this.literalLength = length + literals.length;
        this.ttl = ttl;
        this.jitter = jitter;
        this.negativeTtl = negativeTtl;
    }

    /** Returns the kind's name, e.g. {@code user}. */
    public String name() {
        return name;
    }

    /** Returns the position of this kind in its rules (declaration order). */
    public int index() {
        return index;
    }

    /** Returns the key template as written, e.g. {@code org:{org}:user:{id}}. */
    public String template() {
        return template;
    }

    /** Returns the parts in declaration order; values are passed to {@link #key(Object...)} in this order. */
    public List<KeyPart> parts() {
        return parts;
    }

    /** Returns the hash-tag part, if any. */
    public Optional<KeyPart> hashTagPart() {
        return hashTagPart < 0 ? Optional.empty() : Optional.of(parts.get(hashTagPart));
    }

    /** Returns the index of the hash-tag part, or -1. */
    int hashTagIndex() {
        return hashTagPart;
    }

    /** Returns the L2 time-to-live before jitter. */
    public Duration ttl() {
        return ttl;
    }

    /** Returns the jitter fraction in {@code [0, 0.5]}: L2 TTLs are spread uniformly over {@code ±jitter}. */
    public double jitter() {
        return jitter;
    }

    /** Returns the time-to-live of a cached "not found" before jitter. */
    public Duration negativeTtl() {
        return negativeTtl;
    }

    /** Returns a jittered L2 TTL for a value of this kind, in whole milliseconds, at least 1 ms. */
    public Duration l2Ttl(RandomGenerator random) {
        return jittered(ttl, random);
    }

    /** Returns a jittered L2 TTL for a cached "not found" of this kind. */
    public Duration negativeL2Ttl(RandomGenerator random) {
        return jittered(negativeTtl, random);
    }

    private Duration jittered(Duration base, RandomGenerator random) {
        long millis = base.toMillis();
        if (jitter > 0) {
            millis = Math.round(millis * (1 + jitter * (2 * random.nextDouble() - 1)));
        }
        return Duration.ofMillis(Math.max(1, millis));
    }

    /**
     * Returns the key of the given part values, in {@link #parts()} order.
     *
     * @throws IllegalArgumentException naming the kind and part, if the number of values or a value's type is wrong
     */
    public CacheKey key(Object... values) {
        Objects.requireNonNull(values, "values");
        if (values.length != parts.size()) {
            throw new IllegalArgumentException("kind " + name + " has " + parts.size() + " key parts " + partNames()
                    + ", got " + values.length + " values");
        }
        StringBuilder path = new StringBuilder(literalLength + 12 * values.length);
        int tagFrom = -1;
        int tagTo = -1;
        for (int s = 0; s < literals.length; s++) {
            if (s > 0) {
                path.append(':');
            }
            int part = segmentPart[s];
            if (part < 0) {
                path.append(literals[s]);
                continue;
            }
            boolean tag = part == hashTagPart;
            if (tag) {
                path.append('{');
                tagFrom = path.length();
            }
            try {
                parts.get(part).type().render(values[part], path);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("kind " + name + ", part " + parts.get(part).name() + ": "
                        + e.getMessage(), e);
            }
            if (tag) {
                tagTo = path.length();
                path.append('}');
            }
        }
        return new CacheKey(this, path.toString(), tagFrom, tagTo);
    }

    /** {@link #key(Object...)} for a kind with one integer part, without boxing. */
    public CacheKey key(long value) {
        requireIntegers(1);
        return keyOfIntegers(value, 0);
    }

    /** {@link #key(Object...)} for a kind with two integer parts, without boxing. */
    public CacheKey key(long first, long second) {
        requireIntegers(2);
        return keyOfIntegers(first, second);
    }

    private void requireIntegers(int count) {
        if (parts.size() != count) {
            throw new IllegalArgumentException("kind " + name + " has " + parts.size() + " key parts " + partNames()
                    + ", got " + count + " values");
        }
        for (KeyPart part : parts) {
            if (part.type() != PartType.BIGINT && part.type() != PartType.INT) {
                throw new IllegalArgumentException("kind " + name + ", part " + part.name() + ": part type "
                        + part.type().yamlName() + " needs " + (part.type() == PartType.UUID ? "a uuid" : "a string")
                        + ", got an integer");
            }
        }
    }

    private CacheKey keyOfIntegers(long first, long second) {
        StringBuilder path = new StringBuilder(literalLength + 40);
        int tagFrom = -1;
        int tagTo = -1;
        for (int s = 0; s < literals.length; s++) {
            if (s > 0) {
                path.append(':');
            }
            int part = segmentPart[s];
            if (part < 0) {
                path.append(literals[s]);
                continue;
            }
            long value = part == 0 ? first : second;
            if (parts.get(part).type() == PartType.INT && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
                throw new IllegalArgumentException("kind " + name + ", part " + parts.get(part).name() + ": value "
                        + value + " is out of the range of part type int");
            }
            if (part == hashTagPart) {
                path.append('{');
                tagFrom = path.length();
                path.append(value);
                tagTo = path.length();
                path.append('}');
            } else {
                path.append(value);
            }
        }
        return new CacheKey(this, path.toString(), tagFrom, tagTo);
    }

    /**
     * Parses a key path rendered by this kind ({@link CacheKey#path()}).
     *
     * @throws IllegalArgumentException if it is not exactly such a path (other shape, non-canonical value)
     */
    public CacheKey parse(String path) {
        CacheKey key = tryParse(path);
        if (key == null) {
            throw new IllegalArgumentException("\"" + path + "\" is not a key of kind " + name + " (" + template
                    + ")");
        }
        return key;
    }

    /** Parses a path, or returns null when it is not a key of this kind. */
    CacheKey tryParse(String path) {
        int segment = 0;
        int from = 0;
        int tagFrom = -1;
        int tagTo = -1;
        while (true) {
            if (segment >= literals.length) {
                return null;
            }
            int colon = path.indexOf(':', from);
            int to = colon < 0 ? path.length() : colon;
            int part = segmentPart[segment];
            if (part < 0) {
                if (to - from != literals[segment].length() || !path.startsWith(literals[segment], from)) {
                    return null;
                }
            } else if (part == hashTagPart) {
                if (to - from < 3 || path.charAt(from) != '{' || path.charAt(to - 1) != '}'
                        || !parts.get(part).type().accepts(path, from + 1, to - 1)) {
                    return null;
                }
                tagFrom = from + 1;
                tagTo = to - 1;
            } else if (!parts.get(part).type().accepts(path, from, to)) {
                return null;
            }
            segment++;
            if (colon < 0) {
                return segment == literals.length ? new CacheKey(this, path, tagFrom, tagTo) : null;
            }
            from = colon + 1;
        }
    }

    /** Decodes the part values of a path of this kind, in {@link #parts()} order. */
    List<Object> decode(String path) {
        Object[] values = new Object[parts.size()];
        int segment = 0;
        int from = 0;
        while (segment < literals.length) {
            int colon = path.indexOf(':', from);
            int to = colon < 0 ? path.length() : colon;
            int part = segmentPart[segment];
            if (part >= 0) {
                values[part] = part == hashTagPart ? parts.get(part).type().parse(path, from + 1, to - 1)
                        : parts.get(part).type().parse(path, from, to);
            }
            segment++;
            from = colon + 1;
        }
        return Collections.unmodifiableList(java.util.Arrays.asList(values));
    }

    /**
     * Returns a Redis {@code SCAN MATCH} glob matching every value key of this kind in the key space (with the
     * given rendered hash-tag value, when not null) and its lease. It may match keys of other kinds too: callers
     * parse what SCAN returns before deleting.
     */
    String scanPattern(KeySpace keySpace, String hashTag) {
        StringBuilder pattern = new StringBuilder(keySpace.keyPrefix());
        for (int s = 0; s < literals.length; s++) {
            if (s > 0) {
                pattern.append(':');
            }
            int part = segmentPart[s];
            if (part < 0) {
                pattern.append(literals[s]);
            } else if (part == hashTagPart) {
                pattern.append('{').append(hashTag == null ? "*" : hashTag).append('}');
            } else {
                pattern.append('*');
            }
        }
        return pattern.append('*').toString(); // and the lease
    }

    /** Returns the number of segments of this kind's keys. */
    int segments() {
        return literals.length;
    }

    /** Returns the literal of a segment, or null for a part. */
    String literal(int segment) {
        return literals[segment];
    }

    /** Returns the part of a segment, or -1 for a literal. */
    int segmentPart(int segment) {
        return segmentPart[segment];
    }

    private List<String> partNames() {
        List<String> names = new ArrayList<>(parts.size());
        parts.forEach(p -> names.add(p.name()));
        return names;
    }

    /**
     * Kinds are equal when they have the same name, template, parts and hash tag — the same kind loaded from the same
     * rules by two processes (or twice) — whatever their TTLs.
     */
    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof KeyKind other && name.equals(other.name) && template.equals(other.template)
                && parts.equals(other.parts) && hashTagPart == other.hashTagPart);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + template.hashCode();
    }

    /** Returns {@code KeyKind[name: template]}. */
    @Override
    public String toString() {
        return "KeyKind[" + name + ": " + template + "]";
    }
}
