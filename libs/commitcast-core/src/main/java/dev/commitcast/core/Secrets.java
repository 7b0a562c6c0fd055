package dev.commitcast.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets — passwords — come from the environment or from a file, never from the command line (any local user sees
 * it in {@code ps}), and never reach a log, a status, {@code /health} or an exception message.
 *
 * <p>Every secret variable {@code NAME} has a twin {@code NAME_FILE} naming a file that holds it (Docker and
 * Kubernetes secrets are files); one trailing newline is dropped. Setting both is an error. Thread-safe, stateless.
 */
public final class Secrets {
    /** What a redacted password looks like. */
    public static final String MASK = "***";
    private static final Pattern URL_USERINFO = Pattern.compile("(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)"
            + "(?<user>[^:@/?#]*):(?<password>[^@/?#]*)@");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;\\s]*");

    private Secrets() {
    }

    /**
     * The secrets given as files, for a service's property source: for each {@code NAME_FILE -> property} of
     * {@code fileVariables} that is set in {@code env}, the file's content under {@code property}.
     *
     * @throws IllegalArgumentException naming the variables when a secret is set both directly and as a file, or the
     *                                  variable and the file when it cannot be read
     */
    public static Map<String, Object> fromFiles(Map<String, String> env, Map<String, String> fileVariables) {
        Map<String, Object> properties = new LinkedHashMap<>();
        fileVariables.forEach((fileVariable, property) -> {
            String file = env.get(fileVariable);
            if (file == null || file.isBlank()) {
                return;
            }
            if (!fileVariable.endsWith("_FILE")) {
                throw new IllegalArgumentException(fileVariable + ": a secret file variable ends with _FILE");
            }
            String direct = fileVariable.substring(0, fileVariable.length() - "_FILE".length());
            if (env.get(direct) != null && !env.get(direct).isEmpty()) {
                throw new IllegalArgumentException(direct + " and " + fileVariable + " are both set: set only one "
                        + "(the file is preferred: an environment is easier to leak than a file only its owner reads)");
            }
            properties.put(property, read(fileVariable, Path.of(file)));
        });
        return properties;
    }

    /**
     * A secret file's content without one trailing newline.
     *
     * @throws IllegalArgumentException naming {@code key} and the file when it cannot be read or is empty
     */
    public static String read(String key, Path file) {
        String value;
        try {
            value = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(key + " = " + file + ": cannot read the secret file ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        if (value.endsWith("\r\n")) {
            value = value.substring(0, value.length() - 2);
        } else if (value.endsWith("\n")) {
            value = value.substring(0, value.length() - 1);
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException(key + " = " + file + ": the secret file is empty");
        }
        return value;
    }

    /**
     * {@code text} with the password of every URL's user info ({@code scheme://user:password@host}) and every
     * {@code password=} parameter replaced by {@link #MASK}: safe to log or show.
     */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = URL_USERINFO.matcher(text);
        String masked = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + r.group(2) + ":" + MASK + "@"));
        return PASSWORD_PARAMETER.matcher(masked).replaceAll("$1" + Matcher.quoteReplacement(MASK));
    }
}
