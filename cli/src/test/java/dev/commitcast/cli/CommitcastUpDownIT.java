package dev.commitcast.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptance check, through the real script: {@code ./commitcast up --detach && eval "$(./commitcast
 * env)" && psql "$COMMITCAST_PG_URL" -c 'select count(*) from users' && ./commitcast down} works and leaves no
 * process running.
 */
class CommitcastUpDownIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path HOME = Path.of("target", "it-home").toAbsolutePath();

    @AfterAll
    static void downEvenWhenATestFailed() throws Exception {
        run(List.of("down"));
    }

    @Test
    void upDetachEnvPsqlDownLeavesNoProcess() throws Exception {
        List<String> ports = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ports.add(String.valueOf(freePort()));
        }
        Result up = run(List.of("up", "--detach", "--orgs", "3", "--users-per-org", "7",
                "--api-ports", ports.get(0) + "," + ports.get(1), "--cdc-port", ports.get(2),
                "--invalidator-port", ports.get(3)));
        assertEquals(0, up.exit(), up.output());

        Result env = run(List.of("env"));
        assertEquals(0, env.exit(), env.output());
        Map<String, String> exports = parseExports(env.output());
        assertTrue(exports.get("COMMITCAST_PG_URL").startsWith("postgresql://"), exports.toString());
        assertTrue(exports.containsKey("COMMITCAST_REDIS_URL") && exports.containsKey("COMMITCAST_KAFKA_BOOTSTRAP"));

        Process psql = new ProcessBuilder("psql", exports.get("COMMITCAST_PG_URL"), "-At", "-c",
                "select count(*) from users").redirectErrorStream(true).start();
        String count = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, psql.waitFor());
        assertEquals("21", count);

        StackState state = StackState.read(HOME).orElseThrow();
        List<ProcessRecord> processes = new ArrayList<>(ProcessRecord.parse(state.get(StackState.CHILDREN)));
        processes.add(new ProcessRecord(state.pid(), 0));
        assertTrue(processes.size() >= 4, "supervisor, Postgres, Redis, Kafka at least: " + processes);

        Result down = run(List.of("down"));
        assertEquals(0, down.exit(), down.output());
        for (ProcessRecord process : processes) {
            assertFalse(process.live().isPresent(), "still running after down: " + process);
        }
        assertFalse(Files.exists(HOME.resolve(StackState.FILE)), "down removes the state file");
        Result envAfter = run(List.of("env"));
        assertEquals(1, envAfter.exit());
        assertTrue(envAfter.output().contains("no running platform"), envAfter.output());
    }

    @Test
    void badFlagsAreRejectedWithUsage() throws Exception {
        Result result = run(List.of("up", "--no-such-flag"));
        assertEquals(2, result.exit());
        assertTrue(result.output().contains("Unknown option: '--no-such-flag'"), result.output());
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("commitcast").toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("COMMITCAST_HOME", HOME.toString());
        env.put("COMMITCAST_SKIP_BUILD", "1");
        env.keySet().removeIf(key -> key.startsWith("COMMITCAST_") && !key.equals("COMMITCAST_HOME")
                && !key.equals("COMMITCAST_SKIP_BUILD"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), output);
    }

    private static Map<String, String> parseExports(String output) {
        Map<String, String> exports = new HashMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("export ")) {
                int eq = line.indexOf('=');
                String value = line.substring(eq + 1);
                exports.put(line.substring("export ".length(), eq), value.substring(1, value.length() - 1));
            }
        }
        return exports;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
