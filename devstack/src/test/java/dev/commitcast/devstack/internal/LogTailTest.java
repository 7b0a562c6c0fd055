package dev.commitcast.devstack.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

    @Test
    void returnsTheLastLines(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("server.log");
        Files.writeString(log, IntStream.rangeClosed(1, 100).mapToObj(i -> "line " + i)
                .collect(Collectors.joining("\n", "", "\n")));
        assertEquals("line 98" + System.lineSeparator() + "line 99" + System.lineSeparator() + "line 100",
                LogTail.lastLines(log, 3));
        assertTrue(LogTail.describe(log).startsWith("Log: " + log + " (last 30 lines):"));
    }

    @Test
    void saysWhenThereIsNoLog(@TempDir Path dir) {
        assertTrue(LogTail.lastLines(dir.resolve("missing.log"), 3).startsWith("(no log file at "));
    }
}
