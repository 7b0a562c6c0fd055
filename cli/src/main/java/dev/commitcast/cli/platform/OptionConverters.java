package dev.commitcast.cli.platform;

import dev.commitcast.core.Secrets;

import dev.commitcast.redis.RedisEndpoint;

import dev.commitcast.core.KeySpace;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picocli converters for the operator commands' flags. Each rejects a bad value at parse time, so the command exits
 * with 2 and a message naming the value and the expected form.
 */
public final class OptionConverters {
    private OptionConverters() {
    }

    /** {@code 2s}, {@code 500ms}, {@code 1m30s}, {@code 1h}, or ISO-8601 ({@code PT2S}); positive. */
    public static final class HumanDuration implements ITypeConverter<Duration> {
        private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            return parse(value);
        }

        public static Duration parse(String value) {
            String text = value.strip().toLowerCase(Locale.ROOT);
            Duration duration = text.startsWith("pt") || text.startsWith("p") ? iso(value) : parts(value, text);
            if (duration.isNegative() || duration.isZero()) {
                throw new TypeConversionException("'" + value + "' is not a positive duration");
            }
            return duration;
        }

        private static Duration iso(String value) {
            try {
                return Duration.parse(value.strip());
            } catch (DateTimeParseException e) {
                throw invalid(value);
            }
        }

        private static Duration parts(String value, String text) {
            Matcher matcher = PART.matcher(text);
            Duration total = Duration.ZERO;
            int end = 0;
            while (matcher.find() && matcher.start() == end) {
                long amount = Long.parseLong(matcher.group(1));
                total = total.plus(switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                });
                end = matcher.end();
            }
            if (end == 0 || end != text.length()) {
                throw invalid(value);
            }
            return total;
        }

        private static TypeConversionException invalid(String value) {
            return new TypeConversionException("'" + value + "' is not a duration; use e.g. 2s, 500ms, 1m30s or PT2S");
        }
    }

    /** An ISO-8601 instant ({@code 2026-05-01T12:00:00Z}) or offset date-time ({@code 2026-05-01T14:00:00+02:00}). */
    public static final class IsoInstant implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value.strip());
            } catch (DateTimeParseException notAnInstant) {
                try {
                    return OffsetDateTime.parse(value.strip()).toInstant();
                } catch (DateTimeParseException e) {
                    throw new TypeConversionException("'" + value + "' is not an ISO-8601 time; use e.g. "
                            + "2026-05-01T12:00:00Z or 2026-05-01T14:00:00+02:00");
                }
            }
        }
    }

    /** A key space prefix, validated by {@link KeySpace}. */
    public static final class KeySpaceName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return new KeySpace(value, 1).prefix();
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A Debezium topic prefix, as the invalidator accepts it: 1 to 200 characters of {@code [A-Za-z0-9._-]}. */
    public static final class TopicPrefix implements ITypeConverter<String> {
        private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

        @Override
        public String convert(String value) {
            if (!VALID.matcher(value).matches()) {
                throw new TypeConversionException("'" + value + "' is not a topic prefix; use 1 to 200 characters of "
                        + "[A-Za-z0-9._-], e.g. commitcast");
            }
            return value;
        }
    }

    /** {@code redis://host:port}, {@code rediss://host:port} or {@code redis-cluster://host:port,host:port}. */
    public static final class RedisUri implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                URI uri = new URI(value.strip());
                if (("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) && uri.getHost() != null) {
                    return value.strip();
                }
            } catch (java.net.URISyntaxException e) {
                // a cluster URI, or reported below
            }
            if (RedisEndpoint.of(value.strip()).cluster()) {
                try {
                    RedisEndpoint.of(value.strip()).validate("--redis");
                    return value.strip();
                } catch (IllegalArgumentException e) {
                    throw new TypeConversionException(Secrets.redact(e.getMessage()));
                }
            }
            throw new TypeConversionException("'" + Secrets.redact(value) + "' is not a Redis URI; use "
                    + "redis://host:port, or redis-cluster://host:port,host:port for Redis Cluster");
        }
    }

    /** {@code host:port[,host:port]}. */
    public static final class Bootstrap implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            for (String server : value.split(",")) {
                if (!server.strip().matches("[^:\\s]+:\\d{1,5}")) {
                    throw new TypeConversionException("'" + value + "' is not a Kafka bootstrap list; use "
                            + "host:port[,host:port], e.g. 127.0.0.1:9092");
                }
            }
            return value.strip();
        }
    }

    /** An http(s) base URL of a service, e.g. {@code http://127.0.0.1:8080}. */
    public static final class HttpUrl implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return Endpoints.toUri(value.strip(), "URL").toString();
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
