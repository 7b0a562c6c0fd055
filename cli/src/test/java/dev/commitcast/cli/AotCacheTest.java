package dev.commitcast.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ahead-of-time cache options: train once per build, then use; a cache whose writing was cut short is trained
 * again; a rebuilt jar means a new cache.
 */
class AotCacheTest {

    @TempDir
    Path dir;

    @Test
    void trainsThenUsesAndARebuildStartsOver() throws Exception {
        Path root = dir.resolve("repo");
        Path target = Files.createDirectories(root.resolve("svc").resolve("target"));
        Path dependency = Files.writeString(dir.resolve("dep.jar"), "dep");
        Path jar = Files.writeString(target.resolve("svc-1.jar"), "svc");
        Files.writeString(target.resolve("classpath.txt"), dependency.toString());
        Path home = dir.resolve("home");

        List<String> first = AotCache.jvmArgs(home, root, "svc", true);
        assertEquals(1, first.size());
        assertTrue(first.getFirst().startsWith("-XX:AOTCacheOutput=" + home.resolve("aot").resolve("svc-")), first.toString());
        assertEquals(List.of(), AotCache.jvmArgs(home, root, "svc", false), "a second instance does not train");

        Path cache = Path.of(first.getFirst().substring("-XX:AOTCacheOutput=".length()));
        Files.writeString(cache, "as the JVM writes it at exit");
        assertEquals(List.of("-XX:AOTCache=" + cache), AotCache.jvmArgs(home, root, "svc", true));
        assertEquals(List.of("-XX:AOTCache=" + cache), AotCache.jvmArgs(home, root, "svc", false));

        Path unfinished = cache.resolveSibling(cache.getFileName() + ".config");
        Files.writeString(unfinished, "left behind by a training JVM killed while it wrote the cache");
        assertEquals(List.of(), AotCache.jvmArgs(home, root, "svc", false), "a cut-short cache is not used");
        assertTrue(Files.notExists(cache) && Files.notExists(unfinished), "and both files are gone");
        assertEquals(first, AotCache.jvmArgs(home, root, "svc", true), "so the next run trains again");

        String before = AotCache.buildKey(target);
        Files.setLastModifiedTime(dependency, FileTime.fromMillis(Files.getLastModifiedTime(dependency).toMillis() + 1_000));
        assertNotEquals(before, AotCache.buildKey(target), "a dependency rebuilt");
        assertTrue(AotCache.jvmArgs(home, root, "svc", true).getFirst().startsWith("-XX:AOTCacheOutput="));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(0));
        assertNotEquals(before, AotCache.buildKey(target), "the module rebuilt");
    }
}
