package dev.commitcast.devstack.internal;

import dev.commitcast.devstack.DevStackException;
import dev.commitcast.devstack.KafkaEndpoint;
import dev.commitcast.devstack.ServerKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A single-node KRaft Kafka (combined broker+controller) in a child JVM running {@link KafkaBrokerMain}, with this
 * JVM's java binary and classpath (which must hold the {@code kafka_2.13} jars). Data and {@code broker.log} live in
 * {@code <workDir>/kafka}. Ready = AdminClient {@code describeCluster} lists the broker.
 */
public final class KafkaServer extends LocalServer implements ProvidedServer<KafkaEndpoint> {
    static final String MAX_HEAP = "-Xmx512m";
    private static final Duration RETRY = Duration.ofMillis(50);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Path dir;
    private final Path logFile;
    private final boolean fixedPorts;
    private volatile int port;
    private volatile int controllerPort;
    private volatile AdminKafkaEndpoint endpoint;

    public KafkaServer(StackContext ctx) {
        super(ServerKind.KAFKA, ctx);
        this.dir = ctx.workDir().resolve("kafka");
        this.logFile = dir.resolve("broker.log");
        this.fixedPorts = ctx.options().kafkaPort() != 0 && ctx.options().kafkaControllerPort() != 0;
        this.port = Ports.choose(ctx.options().kafkaPort());
        this.controllerPort = Ports.choose(ctx.options().kafkaControllerPort());
        this.endpoint = newEndpoint();
    }

    /** True if the broker classes are on this JVM's classpath (the child uses the same classpath). */
    public static boolean brokerOnClasspath() {
        try {
            Class.forName("kafka.server.KafkaRaftServer", false, KafkaServer.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private AdminKafkaEndpoint newEndpoint() {
        return new AdminKafkaEndpoint(Ports.LOOPBACK + ":" + port, ctx.options().kafkaPartitions(), ctx.startTimeout());
    }

    @Override
    public KafkaEndpoint endpoint() {
        return endpoint;
    }

    @Override
    protected Path log() {
        return logFile;
    }

    @Override
    protected boolean reassignPort() {
        if (fixedPorts || Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            return false;  // the formatted quorum remembers the controller port
        }
        if (ctx.options().kafkaPort() == 0) {
            port = Ports.free();
        }
        if (ctx.options().kafkaControllerPort() == 0) {
            controllerPort = Ports.free();
        }
        endpoint.close();
        endpoint = newEndpoint();
        return true;
    }

    @Override
    protected ChildProcess launch(Deadline deadline) {
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(dir.resolve("server.properties"), serverProperties(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("logback.xml"), LOGBACK, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("log4j2.properties"), LOG4J2, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DevStackException("Could not prepare " + dir + ": " + e, e);
        }
        return ChildProcess.start("kafka", command(), logFile, Map.of());
    }

    private List<String> command() {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java,
                "-Xms64m", MAX_HEAP, "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData",
                "-Djava.awt.headless=true",
                "--enable-native-access=ALL-UNNAMED",
                "-Dlogback.configurationFile=" + dir.resolve("logback.xml"),
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties")));
        command.addAll(ctx.options().kafkaJvmOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                KafkaBrokerMain.class.getName(),
                Long.toString(ProcessHandle.current().pid()),
                dir.resolve("server.properties").toString()));
        return command;
    }

    String serverProperties() {
        String controller = Ports.LOOPBACK + ":" + controllerPort;
        return """
                # commitcast dev stack: one combined broker+controller, replication factor 1 everywhere.
                process.roles=broker,controller
                node.id=1
                controller.quorum.bootstrap.servers=%s
                controller.listener.names=%s
                listeners=PLAINTEXT://%s:%d,CONTROLLER://%s
                advertised.listeners=PLAINTEXT://%s:%d
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
                log.dirs=%s
                num.partitions=%d
                default.replication.factor=1
                auto.create.topics.enable=true
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=5
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                transaction.state.log.num.partitions=5
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                # sized for a 2-core dev machine and a 512 MB heap
                num.network.threads=2
                num.io.threads=4
                background.threads=4
                log.cleaner.dedupe.buffer.size=16777216
                """.formatted(controller, KafkaBrokerMain.CONTROLLER_LISTENER, Ports.LOOPBACK, port, controller,
                Ports.LOOPBACK, port, dir.resolve("data"), ctx.options().kafkaPartitions());
    }

    @Override
    protected void awaitReady(ChildProcess child, Deadline deadline) {
        while (!Ports.accepting(port, 200)) {
            requireAlive(child);
            if (deadline.expired()) {
                throw new DevStackException("nothing listens on 127.0.0.1:" + port + " after " + deadline.budget());
            }
            deadline.pause(RETRY, "Kafka on port " + port);
        }
        endpoint.awaitReady(deadline, () -> requireAlive(child));
    }

    @Override
    protected void shutdown(ChildProcess child, Deadline deadline) {
        endpoint.releaseClient();
        // SIGTERM runs the broker's shutdown hook (a clean controlled shutdown).
        Duration remaining = deadline.remaining();
        child.terminate(remaining.compareTo(STOP_GRACE) < 0 ? remaining : STOP_GRACE);
    }

    @Override
    public void close() {
        try {
            endpoint.close();
        } finally {
            stop();
        }
    }

    private static final String LOGBACK = """
            <configuration>
              <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <!-- config dumps and per-partition chatter -->
              <logger name="org.apache.kafka.common.config" level="WARN"/>
              <logger name="kafka.server.KafkaConfig" level="WARN"/>
              <logger name="state.change.logger" level="WARN"/>
              <logger name="org.apache.kafka.storage.internals.log" level="WARN"/>
              <logger name="kafka.log" level="WARN"/>
              <root level="INFO"><appender-ref ref="OUT"/></root>
            </configuration>
            """;

    private static final String LOG4J2 = """
            status = warn
            appender.out.type = Console
            appender.out.name = OUT
            appender.out.layout.type = PatternLayout
            appender.out.layout.pattern = %d{ISO8601} %-5p [%t] %c - %m%n
            rootLogger.level = info
            rootLogger.appenderRef.out.ref = OUT
            """;
}
