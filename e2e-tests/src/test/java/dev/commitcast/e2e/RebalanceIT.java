package dev.commitcast.e2e;


import dev.commitcast.cli.ServiceProcess;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12.4: several invalidators in one consumer group share the change topics' partitions, and members leaving
 * and joining under load lose no invalidation and never make the global watermark claim more than was applied.
 * Starts with two invalidator processes, then, one after another under {@link FaultLoad}'s write and read load:
 * kill -9 one (its partitions wait for the session timeout, then move), add one, stop one gracefully (it leaves the
 * group), add two at once, and kill -9 one while another is joining. After every change a new write must be served
 * from trusted caches by both API instances; every read presenting a read-your-writes token must be answered with
 * that write or a later one (a watermark ahead of the applied invalidations would serve an older value from a
 * cache); when the writers stop and the pipeline drained, every cache equals Postgres.
 * {@code -Dcommitcast.e2e.rebalance.seconds} sets the load phase (default 40 s; every change runs at least once).
 */
class RebalanceIT {
    private static Platform platform;
    private static Api truth;
    private static ServiceProcess connector;
    /** The invalidators running now, oldest first. */
    private static final List<ServiceProcess> invalidators = new ArrayList<>();
    private static final java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> properties = new HashMap<>(EndToEndIT.LONG_TTLS);
        properties.put("commitcast.staleness.budget", "3s");
        platform = Platform.start("rebalance", 2, properties);
        truth = platform.addApi("truth", Map.of("commitcast.cache.enabled", "false"));
        platform.stopConnector();
        platform.stopInvalidator();
        connector = platform.startConnectorProcess("cdc");
        addInvalidator();
        addInvalidator();
    }

    @AfterAll
    static void stop() {
        invalidators.forEach(ServiceProcess::stop);
        if (connector != null) {
            connector.stop();
        }
        platform.close();
    }

    @Test
    void membersLeavingAndJoiningUnderLoadLoseNoInvalidation() throws Exception {
        Duration duration = Duration.ofSeconds(Long.getLong("commitcast.e2e.rebalance.seconds", 40));
        List<FaultLoad.Fault> changes = List.of(
                new FaultLoad.Fault("kill -9 an invalidator", () -> oldest().kill()),
                new FaultLoad.Fault("add an invalidator", RebalanceIT::addInvalidator),
                new FaultLoad.Fault("stop an invalidator gracefully", () -> oldest().stop()),
                new FaultLoad.Fault("add two invalidators", () -> {
                    addInvalidator();
                    addInvalidator();
                }),
                new FaultLoad.Fault("kill -9 an invalidator while another joins", () -> {
                    ServiceProcess victim = oldest();
                    Thread joining = Thread.ofPlatform().start(() -> {
                        try {
                            addInvalidator();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    Thread.sleep(300);
                    victim.kill();
                    joining.join();
                }));
        FaultLoad.Result result = new FaultLoad(platform, truth, "rebalance").run(duration, changes);
        String summary = result.summary() + "invalidators at the end: " + invalidators.size() + " (" + started.get()
                + " started)" + System.lineSeparator();
        System.out.println(summary);
        Files.writeString(Platform.ROOT.resolve("e2e-tests").resolve("target").resolve("rebalance-summary.txt"), summary);
        result.assertHeld(changes.size(), summary);
    }

    /** Removes and returns the longest-running invalidator, keeping at least one other running. */
    private static ServiceProcess oldest() throws Exception {
        if (invalidators.size() < 2) {
            addInvalidator();
        }
        synchronized (invalidators) {
            return invalidators.removeFirst();
        }
    }

    private static void addInvalidator() throws Exception {
        ServiceProcess process = platform.startInvalidatorProcess("invalidator-" + started.incrementAndGet());
        synchronized (invalidators) {
            invalidators.add(process);
        }
    }
}
