package dev.commitcast.infra.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of the repository under test. The root comes from the {@code commitcast.repo.root} system property (set by
 * this module's pom) or, when a test runs from an IDE, from the nearest parent directory holding
 * {@code infra/compose/docker-compose.yml}.
 */
public final class Repo {

    /** Marks the repository root. */
    private static final String MARKER = "infra/compose/docker-compose.yml";

    private Repo() {
    }

    /** The repository root. */
    public static Path root() {
        String configured = System.getProperty("commitcast.repo.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(MARKER))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find the repository root: no parent of " + Path.of("").toAbsolutePath()
                + " contains " + MARKER + "; set -Dcommitcast.repo.root=<path>");
    }

    /** A file or directory under the root that must exist. */
    public static Path path(String relative) {
        Path path = root().resolve(relative);
        if (!Files.exists(path)) {
            throw new IllegalStateException(relative + " does not exist under " + root());
        }
        return path;
    }
}
