package dev.commitcast.cli.platform;

import dev.commitcast.cli.RunningPlatform;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the platform's servers and services are: a flag's value when one was given, else the running platform's
 * state ({@code COMMITCAST_*} keys, see {@link RunningPlatform}). The state is read only when a flag is missing, so a
 * command given every endpoint works without a platform. Not thread-safe; one per command invocation.
 */
public final class Endpoints {
    public static final String REDIS = "COMMITCAST_REDIS_URL";
    public static final String KAFKA = "COMMITCAST_KAFKA_BOOTSTRAP";
    public static final String API_URLS = "COMMITCAST_API_URLS";
    public static final String API_URL = "COMMITCAST_API_URL";
    public static final String INVALIDATOR = "COMMITCAST_INVALIDATOR_URL";
    public static final String INVALIDATOR_URLS = "COMMITCAST_INVALIDATOR_URLS";
    public static final String CDC = "COMMITCAST_CDC_URL";
    public static final String PROMETHEUS = "COMMITCAST_PROMETHEUS_URL";

    private final Supplier<Optional<Map<String, String>>> platformSource;
    private Optional<Map<String, String>> platform;

    private Endpoints(Supplier<Optional<Map<String, String>>> platformSource) {
        this.platformSource = platformSource;
    }

    /** Endpoints backed by the running platform's state (read on first need). */
    public static Endpoints ofRunningPlatform() {
        return new Endpoints(RunningPlatform::endpoints);
    }

    /** Endpoints backed by the given state, or by none when {@code null}; for tests. */
    public static Endpoints of(Map<String, String> platformState) {
        return new Endpoints(() -> Optional.ofNullable(platformState));
    }

    /** Whether a platform is running (reads the state). */
    public boolean platformRunning() {
        return platform().isPresent();
    }

    /** The flag's value, else the platform's; fails naming both when neither is there. */
    public String required(String flagValue, String key, String flagHint) {
        return optional(flagValue, key).orElseThrow(() -> new IllegalStateException(platformRunning()
                ? "the running platform has no " + key + "; pass " + flagHint
                : RunningPlatform.NOT_RUNNING + " (or pass " + flagHint + ")"));
    }

    /** The flag's value, else the platform's, else empty. */
    public Optional<String> optional(String flagValue, String key) {
        if (flagValue != null && !flagValue.isBlank()) {
            return Optional.of(flagValue.strip());
        }
        return platform().map(values -> values.get(key)).filter(value -> !value.isBlank());
    }

    /** The api-service base URLs: the flag's list, else the platform's {@value #API_URLS} (or {@value #API_URL}). */
    public List<URI> apis(List<String> flagValues) {
        if (flagValues != null && !flagValues.isEmpty()) {
            return toUris(flagValues, "--api");
        }
        Optional<String> urls = optional(null, API_URLS).or(() -> optional(null, API_URL));
        return urls.map(list -> toUris(List.of(list.split(",")), API_URLS)).orElse(List.of());
    }

    /**
     * The invalidators' base URLs: the flag's list, else the platform's {@value #INVALIDATOR_URLS} (or
     * {@value #INVALIDATOR}).
     */
    public List<URI> invalidators(List<String> flagValues) {
        if (flagValues != null && !flagValues.isEmpty()) {
            return toUris(flagValues, "--invalidator");
        }
        Optional<String> urls = optional(null, INVALIDATOR_URLS).or(() -> optional(null, INVALIDATOR));
        return urls.map(list -> toUris(List.of(list.split(",")), INVALIDATOR_URLS)).orElse(List.of());
    }

    /**
     * The supervisor's facts about each service of the running platform ({@code service.<name>.<fact>}): service name
     * to fact ({@code restarts}, {@code gave-up}) to value; empty without a platform.
     */
    public Map<String, Map<String, String>> supervision() {
        Map<String, Map<String, String>> facts = new java.util.TreeMap<>();
        platform().ifPresent(values -> values.forEach((key, value) -> {
            int dot = key.lastIndexOf('.');
            if (key.startsWith("service.") && dot > "service.".length()) {
                facts.computeIfAbsent(key.substring("service.".length(), dot), n -> new java.util.TreeMap<>())
                        .put(key.substring(dot + 1), value);
            }
        }));
        return facts;
    }

    /** A service base URL from a flag or the state, validated. */
    public Optional<URI> service(String flagValue, String key, String flagName) {
        return optional(flagValue, key).map(url -> toUri(url, flagValue != null ? flagName : key));
    }

    private Optional<Map<String, String>> platform() {
        if (platform == null) {
            platform = platformSource.get();
        }
        return platform;
    }

    private static List<URI> toUris(List<String> values, String source) {
        List<URI> uris = new ArrayList<>();
        for (String value : values) {
            if (!value.isBlank()) {
                uris.add(toUri(value.strip(), source));
            }
        }
        return List.copyOf(uris);
    }

    static URI toUri(String value, String source) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": '" + value + "' is not a URL (" + e.getMessage()
                    + "); expected e.g. http://127.0.0.1:8080");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(source + ": '" + value + "' is not an http(s) URL; expected e.g. "
                    + "http://127.0.0.1:8080");
        }
        return uri;
    }
}
