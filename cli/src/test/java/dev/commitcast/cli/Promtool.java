package dev.commitcast.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Prometheus's {@code promtool}: {@code $PROMTOOL}, else {@code promtool} on the PATH, else
 * {@code /usr/bin/promtool}. A missing promtool is an error, never a skip: the checks it runs are the point of
 * these tests. The one lookup of promtool for every test (cli and infra-tests).
 */
public final class Promtool {

    /** The result of one run. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private static final long TIMEOUT_SECONDS = 120;

    private Promtool() {
    }

    /** The promtool executable. @throws IllegalStateException naming how to install it when there is none */
    public static Path executable() {
        String configured = System.getenv("PROMTOOL");
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (Files.isExecutable(path)) {
                return path;
            }
            throw new IllegalStateException("PROMTOOL=" + configured + " is not an executable file");
        }
        String pathVariable = System.getenv().getOrDefault("PATH", "");
        List<Path> candidates = new ArrayList<>();
        for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir, "promtool"));
            }
        }
        candidates.add(Path.of("/usr/bin/promtool"));
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("promtool not found (PATH, /usr/bin/promtool, $PROMTOOL): install it with "
                + "`apt-get install prometheus` (Debian/Ubuntu; .ci/run does this), or set PROMTOOL=/path/to/promtool");
    }

    /** Runs {@code promtool args...} in {@code workDir} and returns its exit code and combined output. */
    public static Result run(Path workDir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(executable().toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            // Output is small (a few KB); read it fully, then wait with a deadline.
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS
                        + " s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
        }
    }
}
