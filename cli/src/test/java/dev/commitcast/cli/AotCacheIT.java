package dev.commitcast.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link AotCache#discardUnfinished} relies on, checked against the JDK that runs the tests: a training JVM
 * removes its temporary {@code <cache>.config} once the cache is complete, and one killed while it writes its cache
 * leaves that file behind. If a JDK update renamed the file, unfinished caches would again be kept and never trained
 * again; this test would fail first.
 */
class AotCacheIT {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path dir;

    @Test
    void aCompleteCacheLeavesNoConfigBehind() throws Exception {
        Path cache = dir.resolve("complete.aot");
        Process training = new ProcessBuilder(JAVA, "-XX:AOTCacheOutput=" + cache, "-version")
                .redirectErrorStream(true).redirectOutput(dir.resolve("complete.log").toFile()).start();
        assertTrue(training.waitFor(2, TimeUnit.MINUTES), "the training JVM exits");
        assertTrue(Files.size(cache) > 0, "the cache was written: " + Files.readString(dir.resolve("complete.log")));
        assertTrue(Files.notExists(config(cache)), "and its temporary file removed");
    }

    @Test
    void aTrainingJvmKilledWhileWritingLeavesItsConfigAndTheCacheIsDiscarded() throws Exception {
        Path cache = dir.resolve("killed.aot");
        Process training = new ProcessBuilder(JAVA, "-XX:AOTCacheOutput=" + cache, "-version")
                .redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (Files.notExists(cache) && training.isAlive() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        // as down does when its grace runs out: the JVM and the child that assembles its cache
        training.descendants().forEach(ProcessHandle::destroyForcibly);
        training.destroyForcibly().waitFor();
        assertTrue(Files.exists(cache), "killed once the cache file appeared: "
                + Files.readString(dir.resolve("killed.log")));
        assertTrue(Files.exists(config(cache)), "a cache killed while being written leaves its temporary file");

        AotCache.discardUnfinished(cache);
        assertTrue(Files.notExists(cache) && Files.notExists(config(cache)), "so it is discarded and trained again");
    }

    private static Path config(Path cache) {
        return cache.resolveSibling(cache.getFileName() + ".config");
    }
}
