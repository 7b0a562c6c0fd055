package dev.commitcast.e2e;


import dev.commitcast.cli.ServiceProcess;
import dev.commitcast.devstack.DevStack;
import dev.commitcast.devstack.ServerKind;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10.5: faults under load, with nothing lost. SQL writers of every kind (updates, parent moves, deletes and
 * inserts re-using ids, permission grants and revokes, settings, truncates) and readers on every endpoint of two API
 * instances run while the test kills -9 and restarts the invalidator and the connector (both their own JVMs), cuts the
 * broadcast connections, restarts Redis, restarts Postgres and pauses Kafka, one fault after another. After each fault
 * it measures how long until a new write is served, from trusted caches, by both instances. When the writers stop and
 * the pipeline drained, every endpoint of both instances and every value in Redis must equal Postgres: 0 stale is the
 * only pass.
 *
 * <p>The load and its judgement are {@link FaultLoad}'s (shared with {@link RebalanceIT}); reads that present a
 * read-your-writes token must never be answered older than the token's write, whatever the fault. It prints (and writes to {@code target/soak-summary.txt}) faults, reads, writes, the largest staleness a reader
 * saw (a read that returned a user's name after a newer one had committed: how long after) and the recovery time per
 * fault. {@code -Dcommitcast.e2e.soak.seconds} sets the load phase (default 60 s in {@code verify};
 * {@code benchmarks/soak/run.sh} runs longer).
 */
class SoakIT {
    private static Platform platform;
    private static Api truth;
    private static ServiceProcess connector;
    private static ServiceProcess invalidator;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> properties = new HashMap<>(EndToEndIT.LONG_TTLS);
        properties.put("commitcast.staleness.budget", "3s");
        platform = Platform.start("soak", 2, properties);
        truth = platform.addApi("truth", Map.of("commitcast.cache.enabled", "false"));
        // The connector and the invalidator as their own JVMs, so a fault can kill -9 them.
        platform.stopConnector();
        platform.stopInvalidator();
        connector = platform.startConnectorProcess("cdc");
        invalidator = platform.startInvalidatorProcess("invalidator");
    }

    @AfterAll
    static void stop() {
        if (connector != null) {
            connector.stop();
        }
        if (invalidator != null) {
            invalidator.stop();
        }
        platform.close();
    }

    @Test
    void underFaultsAndLoadNothingIsLostAndEveryCacheEndsEqualToPostgres() throws Exception {
        Duration duration = Duration.ofSeconds(Long.getLong("commitcast.e2e.soak.seconds", 60));
        List<FaultLoad.Fault> faults = faults();
        FaultLoad.Result result = new FaultLoad(platform, truth, "soak").run(duration, faults);
        System.out.println(result.summary());
        Files.writeString(Platform.ROOT.resolve("e2e-tests").resolve("target").resolve("soak-summary.txt"),
                result.summary());
        result.assertHeld(faults.size(), result.summary());
    }

    /** The faults, in the order they are injected; each returns once the fault is over (the part is back). */
    private static List<FaultLoad.Fault> faults() {
        DevStack stack = DevStack.shared();
        return List.of(
                new FaultLoad.Fault("kill -9 invalidator", () -> {
                    invalidator.kill();
                    invalidator = invalidator.restart("after kill -9 (SoakIT)");
                    invalidator.awaitHealthy(FaultLoad.RECOVERY_LIMIT);
                }),
                new FaultLoad.Fault("cut broadcast connections", () -> {
                    platform.redis().sync().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub());
                }),
                new FaultLoad.Fault("kill -9 connector", () -> {
                    connector.kill();
                    connector = connector.restart("after kill -9 (SoakIT)");
                    connector.awaitHealthy(FaultLoad.RECOVERY_LIMIT);
                }),
                new FaultLoad.Fault("restart Redis", platform::restartRedis),
                new FaultLoad.Fault("restart Postgres", () -> {
                    stack.server(ServerKind.POSTGRES).stop();
                    stack.server(ServerKind.POSTGRES).start();
                }),
                new FaultLoad.Fault("pause Kafka 5 s", () -> {
                    long pid = DevStack.leftoverProcesses(stack.workDir()).get("kafka");
                    Signals.send("STOP", pid);
                    try {
                        Thread.sleep(5_000);
                    } finally {
                        Signals.send("CONT", pid);
                    }
                }));
    }
}
