package dev.commitcast.core;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shipped rules files the tests use, found from the module's directory. */
final class TestRules {

    static final Path ROOT = findRoot();
    static final Path DEMO = ROOT.resolve("examples/orgs-demo/rules.yml");
    static final Path DEMO_TESTS = ROOT.resolve("examples/orgs-demo/rules.test.yml");
    static final Path CATALOG = ROOT.resolve("examples/catalog/rules.yml");
    static final Path CATALOG_TESTS = ROOT.resolve("examples/catalog/rules.test.yml");

    private TestRules() {
    }

    static Rules demo() {
        return Rules.load(DEMO);
    }

    static Rules catalog() {
        return Rules.load(CATALOG);
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("examples"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no examples/ folder above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
