package dev.commitcast.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's tour, run as written: every {@code sh} block between the {@code <!-- tour} and {@code <!-- /tour -->}
 * markers, in order, as one bash script with {@code set -euo pipefail} — from {@code ./commitcast up --detach
 * --with-prometheus} to {@code ./commitcast down}. Only the environment differs from a user's shell: a private
 * {@code COMMITCAST_HOME} and {@code TMPDIR}, and free ports through the launcher's {@code COMMITCAST_*_PORT(S)}
 * defaults. Then what each step is there to show is checked in the output.
 */
class TourIT {
    private static final Path README = ScriptedPlatform.ROOT.resolve("README.md");
    private static final Pattern SH_BLOCK = Pattern.compile("(?s)```sh\\n(.*?)```");
    private static final Path HOME = Path.of("target", "tour-home").toAbsolutePath();
    private static final Map<String, String> ENVIRONMENT = ScriptedPlatform.environment(HOME);

    @AfterAll
    static void downEvenWhenTheTourFailed() {
        ScriptedPlatform.commitcast(ENVIRONMENT, List.of("down"));
    }

    static List<String> tourBlocks(String readme) {
        int start = readme.indexOf("<!-- tour");
        int end = readme.indexOf("<!-- /tour -->");
        assertTrue(start >= 0 && end > start, "README.md has no <!-- tour ... --> ... <!-- /tour --> section");
        Matcher matcher = SH_BLOCK.matcher(readme.substring(start, end));
        List<String> blocks = new ArrayList<>();
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }

    @Test
    void everyCommandOfTheReadmeTourWorks() throws Exception {
        assertTrue(PrometheusProcess.locate().isPresent(), "the README tour opens Prometheus: install Debian's "
                + "prometheus (apt-get install prometheus; .ci/run does)");
        List<String> blocks = tourBlocks(Files.readString(README));
        String tour = String.join("\n", blocks);
        for (String step : List.of("./commitcast up --detach", "eval \"$(./commitcast env)\"", "curl", "psql",
                "./commitcast record", "./commitcast replay", "--dry-run", "./commitcast status",
                "$COMMITCAST_PROMETHEUS_URL", "./commitcast down")) {
            assertTrue(tour.contains(step), "the tour lost its step '" + step + "':\n" + tour);
        }
        Path tmp = HOME.resolve("tmp");
        Files.createDirectories(tmp);
        Map<String, String> environment = new LinkedHashMap<>(ENVIRONMENT);
        environment.put("TMPDIR", tmp.toString());
        StringBuilder script = new StringBuilder("set -euo pipefail\nPS4='+ '\nset -x\n");
        blocks.forEach(block -> script.append(block).append('\n'));

        ScriptedPlatform.Result run = ScriptedPlatform.bash(environment, script.toString());
        String out = run.output();
        assertEquals(0, run.exit(), "the tour failed; its output:\n" + out);

        // 1. the tiers: a hit in this instance's L1, then the other instance finds the value in Redis
        assertTrue(Pattern.compile("(?im)^x-cache: L1\\s*$").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?im)^x-cache: L2\\s*$").matcher(out).find(), out);
        // 2. both instances serve the new name (what the loops waited for; the last curl prints it)
        assertTrue(out.contains("\"displayName\":\"Ada Lovelace\""), out);
        assertEquals(2, Pattern.compile("(?m)^real\\s").matcher(out).results().count(), "one timed wait per instance");
        // 3. the recorded role update is replayed: dry run names its keys, the replay deletes them
        assertTrue(out.matches("(?s).*line \\d+  commitcast\\.public\\.roles-\\d+@\\d+  public\\.roles UPDATE -> .*"
                + "cc:v1:org:\\{1}:roles.*"), out);
        assertTrue(out.matches("(?s).*would invalidate [1-9]\\d* cache keys and 0 namespaces; nothing was changed.*"),
                out);
        // (what it deletes depends on what was read since the live pipeline deleted the same keys: maybe nothing)
        assertTrue(out.matches("(?s).*deleted \\d+ Redis keys \\(values and leases\\) for [1-9]\\d* cache keys and "
                + "0 namespaces; [1-9]\\d* broadcasts? on cc:sys:evictions.*"), out);
        // 4. status: every service healthy
        assertTrue(out.contains("HEALTHY") && out.contains("Cache hit rate"), out);
        // 5. Prometheus answers the query with the platform's targets
        assertTrue(out.contains("\"status\":\"success\"") && out.contains("\"job\":\"commitcast-api\""), out);
        // and down stopped it
        ScriptedPlatform.Result env = ScriptedPlatform.commitcast(ENVIRONMENT, List.of("env"));
        assertEquals(1, env.exit(), env.output());
    }
}
