package dev.commitcast.infra.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command in the repository root with extra environment variables, a time limit and an optional log copy. */
public final class Shell {

    /** What a command printed (stdout and stderr interleaved) and its exit code. */
    public record Result(int exit, String output) {
    }

    private Shell() {
    }

    /** {@code bash -c SCRIPT}. */
    public static Result bash(String script, Map<String, String> environment, Duration timeout, Path log) {
        return run(List.of("bash", "-c", script), environment, timeout, log);
    }

    /** Runs COMMAND; a command still running after TIMEOUT is killed (with its children) and fails the test. */
    public static Result run(List<String> command, Map<String, String> environment, Duration timeout, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(Repo.root().toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> copy(process.getInputStream(), log));
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
                        + (log == null ? "" : "; its output so far: " + log));
            }
            return new Result(process.exitValue(), output.get(30, TimeUnit.SECONDS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (Exception e) {
            throw new AssertionError("reading the output of " + String.join(" ", command), e);
        }
    }

    private static String copy(InputStream in, Path log) {
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        try (in; OutputStream out = log == null ? OutputStream.nullOutputStream()
                : Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                out.flush();
                text.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString(StandardCharsets.UTF_8);
    }
}
