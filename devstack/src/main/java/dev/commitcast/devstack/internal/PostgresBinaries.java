package dev.commitcast.devstack.internal;

import dev.commitcast.devstack.DevStackException;
import dev.commitcast.devstack.DevStackOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds a directory holding {@code initdb}, {@code postgres} and {@code pg_ctl}: {@code COMMITCAST_PG_BINDIR}, then
 * {@code pg_config --bindir} (pg_config on PATH), then {@code initdb} on PATH, then the newest
 * {@code /usr/lib/postgresql/<version>/bin} (Debian/Ubuntu) or {@code /usr/pgsql-<version>/bin} (RHEL).
 */
public final class PostgresBinaries {
    static final List<String> REQUIRED = List.of("initdb", "postgres", "pg_ctl");
    private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
    private static final Path RHEL_ROOT = Path.of("/usr");

    private PostgresBinaries() {
    }

    /** What the search tried, for the "not found" message. */
    public record Search(Optional<Path> binDir, List<String> tried) {
    }

    public static Search locate(StackContext ctx) {
        String override = ctx.env(DevStackOptions.ENV_PG_BINDIR);
        if (override != null) {
            Path dir = Path.of(override);
            if (!complete(dir)) {
                throw new DevStackException(DevStackOptions.ENV_PG_BINDIR + "=" + override + " does not hold executable "
                        + String.join(", ", REQUIRED) + ". Point it at the PostgreSQL server bin directory (e.g. "
                        + "/usr/lib/postgresql/15/bin; Debian/Ubuntu: apt-get install postgresql), or unset it.");
            }
            return new Search(Optional.of(dir), List.of(DevStackOptions.ENV_PG_BINDIR + "=" + override));
        }
        List<String> tried = new ArrayList<>();
        String path = ctx.environment().getOrDefault("PATH", "");
        Optional<Path> pgConfig = Executables.onPath("pg_config", path);
        tried.add("pg_config --bindir (pg_config " + pgConfig.map(p -> "at " + p).orElse("not on PATH") + ")");
        Optional<Path> fromPgConfig = pgConfig.flatMap(PostgresBinaries::bindirOf).filter(PostgresBinaries::complete);
        if (fromPgConfig.isPresent()) {
            return new Search(fromPgConfig, tried);
        }
        tried.add("initdb on PATH=" + path);
        Optional<Path> onPath = Executables.onPath("initdb", path).map(Path::getParent).filter(PostgresBinaries::complete);
        if (onPath.isPresent()) {
            return new Search(onPath, tried);
        }
        tried.add(DEBIAN_ROOT + "/*/bin");
        tried.add(RHEL_ROOT + "/pgsql-*/bin");
        Optional<Path> newest = Stream.concat(versionDirs(DEBIAN_ROOT, "", "bin"), versionDirs(RHEL_ROOT, "pgsql-", "bin"))
                .filter(PostgresBinaries::complete)
                .max(Comparator.comparingDouble(PostgresBinaries::version));
        return new Search(newest, tried);
    }

    private static Stream<Path> versionDirs(Path root, String prefix, String bin) {
        if (!Files.isDirectory(root)) {
            return Stream.empty();
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(p -> p.getFileName().toString().startsWith(prefix)
                            && !Double.isNaN(version(p.resolve(bin))))
                    .map(p -> p.resolve(bin))
                    .toList()
                    .stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    /** 15 for /usr/lib/postgresql/15/bin, 16 for /usr/pgsql-16/bin, NaN otherwise. */
    static double version(Path binDir) {
        String name = binDir.getParent().getFileName().toString().replaceFirst("^pgsql-", "");
        try {
            return Double.parseDouble(name);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static Optional<Path> bindirOf(Path pgConfig) {
        try {
            Process p = new ProcessBuilder(pgConfig.toString(), "--bindir").redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 && !out.isEmpty() ? Optional.of(Path.of(out)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException("Interrupted while running " + pgConfig + " --bindir", e);
        }
    }

    static boolean complete(Path dir) {
        return REQUIRED.stream().allMatch(name -> Files.isExecutable(dir.resolve(name)));
    }
}
