package dev.commitcast.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.cli.ScriptedPlatform;
import dev.commitcast.infra.support.DockerEngine;
import dev.commitcast.infra.support.Repo;
import dev.commitcast.infra.support.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dev stack's Testcontainers path (issue 12.2), run for real: {@code ./commitcast up} with
 * {@code COMMITCAST_DEVSTACK_CONTAINERS=always} takes Postgres, Redis and Kafka from containers of the local stand-in
 * images (ADR-0011) in a private Docker engine, instead of the local binaries; the platform on them serves a read
 * through both API instances and a plain-SQL update, and {@code down} removes every container. It runs two
 * invalidators ({@code up --invalidators 2}, issue 12.4): {@code status} shows both and the lag of every partition. Ryuk's image cannot be
 * pulled here, so it is disabled: the clean stop is what must remove the containers, and this test checks it.
 */
class DevStackContainersIT {

    private static final Path HOME = Path.of("target", "devstack-containers-home").toAbsolutePath();
    private static final Path LOG = Path.of("target", "devstack-containers-it.log").toAbsolutePath();
    private static DockerEngine engine;
    private static Map<String, String> environment;

    @BeforeAll
    static void engineAndImages() throws IOException {
        Files.deleteIfExists(LOG);
        engine = DockerEngine.start(Path.of("target", "dockerd-devstack.log").toAbsolutePath());
        environment = new LinkedHashMap<>(ScriptedPlatform.environment(HOME));
        environment.putAll(engine.environment());
        environment.putAll(standinImages());
        environment.put("COMMITCAST_DEVSTACK_CONTAINERS", "always");
        environment.put("COMMITCAST_AOT", "off"); // a fresh home: no training run of the start-up class cache
        environment.put("TESTCONTAINERS_RYUK_DISABLED", "true");   // its image cannot be pulled here
        environment.put("TESTCONTAINERS_CHECKS_DISABLE", "true");  // the start-up checks run an alpine image
        Shell.Result built = Shell.bash("infra/docker/standins/build.sh", environment, Duration.ofMinutes(15), LOG);
        assertEquals(0, built.exit(), "stand-in images: " + built.output());
    }

    @AfterAll
    static void downAndStopTheEngine() {
        try {
            if (environment != null) {
                Shell.bash("./commitcast down", environment, Duration.ofMinutes(3), LOG);
            }
        } finally {
            if (engine != null) {
                engine.close();
            }
        }
    }

    @Test
    void thePlatformRunsOnContainersAndDownRemovesThem() {
        String script = """
                set -euo pipefail
                PS4='+ '
                set -x
                ./commitcast up --detach --orgs 2 --users-per-org 5 --invalidators 2
                docker ps --format 'container {{.Image}}'
                eval "$(./commitcast env)"
                api1="${COMMITCAST_API_URLS%%,*}" api2="${COMMITCAST_API_URLS#*,}"
                curl -s -o /dev/null -D - "$api1/v1/orgs/1/users/1" | grep -i '^x-cache'
                curl -s -o /dev/null -D - "$api1/v1/orgs/1/users/1" | grep -i '^x-cache'
                curl -s -o /dev/null -D - "$api2/v1/orgs/1/users/1" | grep -i '^x-cache'
                psql "$COMMITCAST_PG_URL" -c "update users set display_name = 'Grace Hopper' where id = 1"
                for api in "$api1" "$api2"; do
                  timeout 10 sh -c "until curl -s '$api/v1/orgs/1/users/1' | grep -q 'Grace Hopper'; do sleep 0.01; done"
                done
                echo "invalidators: $COMMITCAST_INVALIDATOR_URLS"
                ./commitcast status
                ./commitcast down
                echo "left: $(docker ps -aq | wc -l) containers, $(docker volume ls -q | wc -l) volumes"
                """;
        Shell.Result run = Shell.bash(script, environment, Duration.ofMinutes(15), LOG);
        String out = run.output();
        assertEquals(0, run.exit(), "the platform on containers failed; output (also in " + LOG + "):\n" + tail(out));
        for (String variable : List.of("COMMITCAST_POSTGRES_IMAGE", "COMMITCAST_REDIS_IMAGE", "COMMITCAST_KAFKA_IMAGE")) {
            String image = environment.get(variable);
            assertTrue(out.contains("container " + image + "\n"), "no container of " + image + " ran:\n" + tail(out));
        }
        List<String> tiers = Pattern.compile("(?im)^x-cache: (\\S+)\\s*$").matcher(out).results().map(m -> m.group(1))
                .toList();
        assertEquals(List.of("MISS", "L1", "L2"), tiers, tail(out));
        assertTrue(out.contains("left: 0 containers, 0 volumes"), "down left containers or volumes:\n" + tail(out));
        // --invalidators 2: one consumer group of two processes; status shows both and every partition's lag
        assertTrue(Pattern.compile("(?m)^invalidators: http://[^,\\s]+,http://\\S+$").matcher(out).find(), tail(out));
        assertTrue(Pattern.compile("(?m)^  invalidator-2 +http://\\S+ +UP").matcher(out).find(),
                "status lists the second invalidator:\n" + tail(out));
        assertEquals(15, Pattern.compile("(?m)^  commitcast\\.public\\.\\w+ +\\d +\\d+ ").matcher(out).results().count(),
                "status shows the lag of all 15 partitions:\n" + tail(out));
    }

    /** COMMITCAST_*_IMAGE of infra/docker/standins/standins.env. */
    private static Map<String, String> standinImages() throws IOException {
        Map<String, String> images = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Repo.path("infra/docker/standins/standins.env"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] kv = line.split("=", 2);
                images.put(kv[0].strip(), kv[1].strip());
            }
        }
        return images;
    }

    private static String tail(String out) {
        return out.length() <= 12_000 ? out : "...\n" + out.substring(out.length() - 12_000);
    }
}
