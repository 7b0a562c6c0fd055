package dev.commitcast.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * JDK 25's ahead-of-time class cache (JEP 483, created in one step by JEP 514's {@code -XX:AOTCacheOutput}) for the
 * JVMs {@code up} starts (the services, the Kafka node and, with {@code --detach}, the supervisor): the classes a JVM
 * loaded and linked in an earlier run are mapped from a file instead of being read, verified and linked again, which
 * is much of a JVM's start-up on two shared cores.
 *
 * <p>A cache is only valid for the exact class path it was made with, so its file is named after a hash of the
 * module's jars and their sizes and modification times: after a rebuild the name changes, the next run is a training
 * run ({@code -XX:AOTCacheOutput}, written when the service exits at {@code down}), and the run after uses it
 * ({@code -XX:AOTCache}). Only one instance of a module trains (two JVMs must not write one file). A cache whose
 * writing was cut short is deleted, so the next run trains again ({@link #discardUnfinished}). Any other cache the JVM
 * cannot use is ignored with a warning in the service's log, never fatal. {@code COMMITCAST_AOT=off} disables it.
 */
final class AotCache {

    private AotCache() {
    }

    /**
     * The JVM options for one service instance: use the module's cache if it exists, else (when {@code train})
     * record one, else none.
     */
    static List<String> jvmArgs(Path home, Path root, String module, boolean train) {
        return jvmArgs(home, module, root.resolve(module).resolve("target"), train);
    }

    /** The same for a JVM named {@code name} that runs the launcher's class path: the supervisor, its Kafka node. */
    static List<String> launcherJvmArgs(Path home, Path root, String name) {
        return jvmArgs(home, name, root.resolve("cli").resolve("target"), true);
    }

    private static List<String> jvmArgs(Path home, String name, Path target, boolean train) {
        if ("off".equalsIgnoreCase(System.getenv().getOrDefault("COMMITCAST_AOT", ""))) {
            return List.of();
        }
        Path cache;
        try {
            cache = home.resolve("aot").resolve(name + "-" + buildKey(target) + ".aot");
            Files.createDirectories(cache.getParent());
            discardUnfinished(cache);
        } catch (IOException e) {
            return List.of(); // no cache is slower, not wrong
        }
        if (Files.isRegularFile(cache)) {
            return List.of("-XX:AOTCache=" + cache);
        }
        return train ? List.of("-XX:AOTCacheOutput=" + cache) : List.of();
    }

    /**
     * Deletes a cache whose writing did not finish. A training JVM writes its cache at exit, in place, next to a
     * temporary {@code <cache>.config} that it removes only once the cache is complete (JDK 25). When that file is
     * still there, the JVM was killed while writing, for example when {@code down}'s grace ran out, and the cache may
     * be truncated. A JVM given a truncated cache only logs an error and runs without it, so without this no later run
     * would train again.
     */
    static void discardUnfinished(Path cache) throws IOException {
        Path config = cache.resolveSibling(cache.getFileName() + ".config");
        if (Files.exists(config)) {
            Files.deleteIfExists(cache);
            Files.delete(config);
        }
    }

    /** A hash of the module's class path: its jars' names, sizes and modification times. */
    static String buildKey(Path target) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        String classpath = Files.readString(target.resolve("classpath.txt")).trim();
        try (Stream<Path> own = Files.list(target)) {
            List<Path> jars = Stream.concat(own.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted(),
                    Stream.of(classpath.split(java.io.File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of))
                    .toList();
            for (Path jar : jars) {
                digest.update(jar.toString().getBytes(StandardCharsets.UTF_8));
                if (Files.exists(jar)) {
                    digest.update((Files.size(jar) + ":" + Files.getLastModifiedTime(jar).toMillis())
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 6);
    }
}
