package dev.commitcast.cli.platform;

import dev.commitcast.core.Rules;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --rules}: the rules file a command decides and renders keys by — the same file every service of the
 * platform loads. From the flag, else {@code $COMMITCAST_RULES}, else the running platform's.
 */
public final class RulesOptions {
    /** The environment variable (and platform state key) naming the rules file. */
    public static final String ENV = "COMMITCAST_RULES";

    @Option(names = "--rules", paramLabel = "FILE",
            description = "The rules file (default: $COMMITCAST_RULES, else the running platform's).")
    Path rules;

    /**
     * Loads the rules, in the given key space prefix when one is given.
     *
     * @param keySpace a prefix overriding the rules file's, or null
     * @throws IllegalStateException when no rules file is named anywhere
     * @throws dev.commitcast.core.RulesException when the file is invalid (naming file, line and entry)
     */
    public Rules load(Endpoints endpoints, String keySpace) {
        Rules loaded = Rules.load(file(endpoints));
        return keySpace == null ? loaded : loaded.withKeySpacePrefix(keySpace);
    }

    /** The rules file: the flag, else the environment, else the running platform's. */
    public Path file(Endpoints endpoints) {
        if (rules != null) {
            return rules;
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env.strip());
        }
        return endpoints.optional(null, ENV).map(Path::of).orElseThrow(() -> new IllegalStateException(
                "no rules file: pass --rules FILE or set " + ENV + " (or start the platform with ./commitcast up)"));
    }

    /** Whether a rules file can be found without failing. */
    public boolean known(Endpoints endpoints) {
        try {
            return Files.isRegularFile(file(endpoints));
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
