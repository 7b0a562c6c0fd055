package dev.commitcast.devstack.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.raft.DynamicVoters;

/**
 * Main of the child JVM that runs the dev stack's Kafka: a single combined broker+controller KRaft node.
 *
 * <p>Usage: {@code KafkaBrokerMain <parent pid> <server.properties>}. Formats the log directory on first start (the
 * 4.x {@link Formatter}, a standalone dynamic quorum, as {@code kafka-storage format --standalone} does), then runs
 * {@link KafkaRaftServer} as {@code kafka.Kafka} does. A watchdog exits this JVM when the parent process is gone, so a
 * killed test JVM leaves no broker behind. SIGTERM runs a clean shutdown.
 */
public final class KafkaBrokerMain {
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final String READY_LINE = "commitcast-devstack: kafka broker started";
    private static final Duration HALT_AFTER = Duration.ofSeconds(15);

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("Usage: KafkaBrokerMain <parent pid> <server.properties>");
            System.exit(2);
        }
        try {
            watchParent(Long.parseLong(args[0]));
            Properties props = load(Path.of(args[1]));
            formatIfNeeded(props);
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "kafka-shutdown-hook"));
            server.startup();
            System.out.println(READY_LINE);
            server.awaitShutdown();
        } catch (Throwable t) {
            System.err.println("commitcast-devstack: kafka broker failed: " + t);
            t.printStackTrace(System.err);
            System.exit(1);
        }
    }

    private static void watchParent(long parentPid) {
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        if (parent.isEmpty()) {
            System.err.println("commitcast-devstack: parent pid " + parentPid + " is already gone; not starting");
            System.exit(3);
        }
        // ProcessHandle compares start times, so a recycled pid does not look like our parent.
        parent.get().onExit().thenRun(() -> {
            System.err.println("commitcast-devstack: parent pid " + parentPid + " exited; stopping the broker");
            Thread halt = new Thread(() -> {
                try {
                    Thread.sleep(HALT_AFTER);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Runtime.getRuntime().halt(4);
            }, "parent-watchdog-halt");
            halt.setDaemon(true);
            halt.start();
            System.exit(0);
        });
    }

    private static Properties load(Path file) throws IOException {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        }
        return props;
    }

    private static void formatIfNeeded(Properties props) throws Exception {
        String logDir = props.getProperty("log.dirs");
        if (Files.exists(Path.of(logDir, "meta.properties"))) {
            return;
        }
        int nodeId = Integer.parseInt(props.getProperty("node.id"));
        String controller = props.getProperty("controller.quorum.bootstrap.servers");
        new Formatter()
                .setPrintStream(System.out)
                .setNodeId(nodeId)
                .setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setMetadataLogDirectory(logDir)
                .addDirectory(logDir)
                .setHasDynamicQuorum(true)
                .setInitialControllers(DynamicVoters.parse(nodeId + "@" + controller + ":" + Uuid.randomUuid()))
                .run();
    }
}
