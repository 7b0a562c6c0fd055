package dev.commitcast.cli.status;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A parsed Prometheus text exposition (format 0.0.4, as the services' {@code /metrics} serve it; OpenMetrics
 * exemplars and {@code # EOF} are tolerated). Only samples are kept: {@code # HELP} and {@code # TYPE} lines are
 * comments here, since names already say what a series is ({@code _bucket}, {@code _total}). Label values are
 * unescaped ({@code \\}, {@code \"}, {@code \n}); values may be {@code NaN}, {@code +Inf}, {@code -Inf}. Immutable.
 */
public final class PrometheusText {

    /** One sample: metric name, labels in exposition order, value. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public Sample {
            labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        }

        /** The label's value, or {@code null}. */
        public String label(String label) {
            return labels.get(label);
        }
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = List.copyOf(samples);
    }

    /**
     * Parses an exposition.
     *
     * @throws IllegalArgumentException naming the 1-based line and what is wrong with it
     */
    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                samples.add(new LineParser(line).sample());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage() + ": " + abbreviate(line),
                        e);
            }
        }
        return new PrometheusText(samples);
    }

    /**
     * GETs a service's {@code /metrics} and parses it.
     *
     * @throws IOException              when it does not answer within {@code timeout} or answers other than 200
     * @throws IllegalArgumentException when the answer is not an exposition
     */
    public static PrometheusText scrape(HttpClient http, URI service, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(service.resolve("/metrics")).timeout(timeout).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(service + "/metrics answered HTTP " + response.statusCode());
        }
        return parse(response.body());
    }

    /** Every sample of every exposition, as one (several instances of a service: lag rows, summed counters). */
    public static PrometheusText concat(List<PrometheusText> expositions) {
        List<Sample> all = new ArrayList<>();
        expositions.forEach(e -> all.addAll(e.samples));
        return new PrometheusText(all);
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Every sample of the metric, in exposition order. */
    public List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The value of the metric's first sample, empty when it has none. */
    public OptionalDouble value(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).findFirst();
    }

    /** The sum over every sample of the metric (NaN samples ignored); empty when it has none. */
    public OptionalDouble sum(String name) {
        List<Sample> matching = samples(name);
        if (matching.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(matching.stream().mapToDouble(Sample::value).filter(v -> !Double.isNaN(v)).sum());
    }

    private static String abbreviate(String line) {
        return line.length() <= 120 ? line : line.substring(0, 117) + "...";
    }

    /** Parses one sample line: {@code name[{label="value",...}] value [timestamp] [# exemplar]}. */
    private static final class LineParser {
        private final String line;
        private int pos;

        LineParser(String line) {
            this.line = line;
        }

        Sample sample() {
            String name = name();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("expected a metric name");
            }
            Map<String, String> labels = new LinkedHashMap<>();
            skipSpaces();
            if (pos < line.length() && line.charAt(pos) == '{') {
                pos++;
                labels(labels);
            }
            skipSpaces();
            String rest = line.substring(pos);
            int exemplar = rest.indexOf(" # ");
            if (exemplar >= 0) {
                rest = rest.substring(0, exemplar);
            }
            String[] tokens = rest.strip().split("\\s+");
            if (tokens.length == 0 || tokens[0].isEmpty()) {
                throw new IllegalArgumentException("expected a value after " + name);
            }
            if (tokens.length > 2) {
                throw new IllegalArgumentException("unexpected text after the value and timestamp");
            }
            if (tokens.length == 2 && !tokens[1].matches("-?\\d+")) {
                throw new IllegalArgumentException("timestamp '" + tokens[1] + "' is not an integer");
            }
            return new Sample(name, labels, value(tokens[0]));
        }

        private String name() {
            int start = pos;
            while (pos < line.length() && isNameChar(line.charAt(pos), pos == start)) {
                pos++;
            }
            return line.substring(start, pos);
        }

        private void labels(Map<String, String> labels) {
            while (true) {
                skipSpaces();
                expectMore("a label or '}'");
                if (line.charAt(pos) == '}') {
                    pos++;
                    return;
                }
                String label = name();
                if (label.isEmpty()) {
                    throw new IllegalArgumentException("expected a label name at column " + (pos + 1));
                }
                skipSpaces();
                expect('=');
                skipSpaces();
                expect('"');
                labels.put(label, quoted());
                skipSpaces();
                expectMore("',' or '}'");
                if (line.charAt(pos) == ',') {
                    pos++;
                } else if (line.charAt(pos) != '}') {
                    throw new IllegalArgumentException("expected ',' or '}' at column " + (pos + 1));
                }
            }
        }

        private String quoted() {
            StringBuilder value = new StringBuilder();
            while (true) {
                expectMore("a closing '\"'");
                char c = line.charAt(pos++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\') {
                    expectMore("an escaped character");
                    char escaped = line.charAt(pos++);
                    value.append(switch (escaped) {
                        case 'n' -> '\n';
                        case '\\', '"' -> escaped;
                        default -> throw new IllegalArgumentException("unknown escape '\\" + escaped + "'");
                    });
                } else {
                    value.append(c);
                }
            }
        }

        private void expect(char c) {
            expectMore("'" + c + "'");
            if (line.charAt(pos) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at column " + (pos + 1));
            }
            pos++;
        }

        private void expectMore(String what) {
            if (pos >= line.length()) {
                throw new IllegalArgumentException("line ends where " + what + " was expected");
            }
        }

        private void skipSpaces() {
            while (pos < line.length() && (line.charAt(pos) == ' ' || line.charAt(pos) == '\t')) {
                pos++;
            }
        }

        private static boolean isNameChar(char c, boolean first) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
                    || (!first && c >= '0' && c <= '9');
        }

        private static double value(String token) {
            return switch (token) {
                case "NaN" -> Double.NaN;
                case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> {
                    try {
                        yield Double.parseDouble(token);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("value '" + token + "' is not a number");
                    }
                }
            };
        }
    }
}
