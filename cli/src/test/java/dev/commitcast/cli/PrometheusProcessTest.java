package dev.commitcast.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrometheusProcessTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void fillsInTheRepositoryTemplate(@TempDir Path dir) throws Exception {
        Map<String, String> values = PrometheusProcess.values(ROOT,
                List.of(URI.create("http://127.0.0.1:8080"), URI.create("http://127.0.0.1:8081")),
                List.of(URI.create("http://127.0.0.1:8091"), URI.create("http://127.0.0.1:8092")), null);
        String config = PrometheusProcess.render(Files.readString(ROOT.resolve(PrometheusProcess.TEMPLATE)), values);
        assertFalse(config.contains("${COMMITCAST_"), config);
        assertTrue(config.contains("- targets: [127.0.0.1:8080,127.0.0.1:8081]"), config);
        assertTrue(config.contains("- targets: [127.0.0.1:8091,127.0.0.1:8092]"), config);
        assertTrue(config.contains("- targets: []"), "no cdc-connector: an empty target list\n" + config);
        assertTrue(config.contains("  - " + ROOT.resolve(PrometheusProcess.RULES_DIR) + "/*.yml"), config);

        // promtool (Debian's prometheus package, which CI installs) validates it, rules included; a missing
        // promtool fails this test (Promtool names how to install it), it is never skipped
        Path file = Files.writeString(dir.resolve("prometheus.yml"), config);
        Promtool.Result check = Promtool.run(dir, "check", "config", file.toString());
        assertEquals(0, check.exitCode(), check.output());
    }

    @Test
    void aPlaceholderWithoutValueIsNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PrometheusProcess.render("a: ${COMMITCAST_NOPE}", Map.of()));
        assertTrue(e.getMessage().contains("${COMMITCAST_NOPE}"), e.getMessage());
    }

    @Test
    void findsPrometheusOnThePathOrSaysHowToInstallIt(@TempDir Path dir) throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fake = Files.writeString(bin.resolve("prometheus"), "#!/bin/sh\n");
        assertTrue(fake.toFile().setExecutable(true));
        assertEquals(Optional.empty(), PrometheusProcess.locate(empty.toString()));
        assertEquals(Optional.of(fake), PrometheusProcess.locate(empty + ":" + bin));
        assertTrue(PrometheusProcess.MISSING.contains("apt-get install prometheus"), PrometheusProcess.MISSING);
    }
}
