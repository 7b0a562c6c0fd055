package dev.commitcast.testsupport;

import dev.commitcast.core.Rules;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository the tests run in, and its example rules. */
public final class Repo {

    private static final Path ROOT = findRoot();
    private static final Rules DEMO = Rules.load(demoRulesFile());

    private Repo() {
    }

    /** The repository's root directory (the one holding {@code examples/} and {@code mvnw}). */
    public static Path root() {
        return ROOT;
    }

    /** The demo's rules file, {@code examples/orgs-demo/rules.yml}. */
    public static Path demoRulesFile() {
        return ROOT.resolve("examples/orgs-demo/rules.yml");
    }

    /** The catalog example's rules file, {@code examples/catalog/rules.yml}. */
    public static Path catalogRulesFile() {
        return ROOT.resolve("examples/catalog/rules.yml");
    }

    /**
     * A copy of the demo's rules file (in a temporary file) with every TTL, negative TTLs included, set to
     * {@code ttl}, e.g. {@code 10m}: so that an end-to-end test sees invalidation, not expiry. TTLs are not part of
     * the rules' fingerprint, so services on this copy and on the original agree.
     */
    public static Path demoRulesWithTtls(String ttl) {
        return demoRulesEdited(text -> text.replaceAll("ttl: [0-9]+[a-z]+", "ttl: " + ttl));
    }

    /** A copy of the demo's rules file (in a temporary file) with {@code keyspace.version} set to {@code version}. */
    public static Path demoRulesWithVersion(int version) {
        return demoRulesEdited(text -> text.replaceFirst("(?m)^  version: 1$", "  version: " + version));
    }

    private static Path demoRulesEdited(java.util.function.UnaryOperator<String> edit) {
        try {
            String original = Files.readString(demoRulesFile());
            String text = edit.apply(original);
            if (text.equals(original)) {
                throw new IllegalStateException("the edit changed nothing in " + demoRulesFile());
            }
            Path copy = Files.createTempFile("commitcast-demo-rules-", ".yml");
            copy.toFile().deleteOnExit();
            return Files.writeString(copy, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The demo's rules, loaded once. */
    public static Rules demoRules() {
        return DEMO;
    }

    /** The demo's rules in a test's own key space prefix. */
    public static Rules demoRules(String keySpacePrefix) {
        return DEMO.withKeySpacePrefix(keySpacePrefix);
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isDirectory(dir.resolve("examples")) && Files.exists(dir.resolve("mvnw")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("not inside the Commitcast repository: " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
