package dev.commitcast.cli.platform;

import dev.commitcast.events.ChangeTopics;
import picocli.CommandLine.Option;

import java.util.regex.Pattern;

/** {@code --kafka} and {@code --topic-prefix}: which Kafka and which change topics a command reads. */
public final class KafkaOptions {
    /** The cdc-connector's and invalidator's default Debezium {@code topic.prefix}. */
    public static final String DEFAULT_TOPIC_PREFIX = "commitcast";

    @Option(names = "--kafka", paramLabel = "HOST:PORT[,...]", converter = OptionConverters.Bootstrap.class,
            description = "Kafka bootstrap servers (default: the running platform's).")
    String kafka;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = DEFAULT_TOPIC_PREFIX,
            converter = OptionConverters.TopicPrefix.class,
            description = "Debezium topic prefix: change topics are <prefix>.<schema>.<table> (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    /** The bootstrap servers from the flag or the running platform; fails with a clear message otherwise. */
    public String bootstrap(Endpoints endpoints) {
        return endpoints.required(kafka, Endpoints.KAFKA, "--kafka host:port");
    }

    /** The bootstrap servers from the flag or the running platform, or {@code null} when neither is there. */
    public String bootstrapIfKnown(Endpoints endpoints) {
        return endpoints.optional(kafka, Endpoints.KAFKA).orElse(null);
    }

    /** Whether {@code --kafka} was given. */
    public boolean given() {
        return kafka != null;
    }

    public String topicPrefix() {
        return topicPrefix;
    }

    /** The change topics, {@code <prefix>.<schema>.<table>}: the invalidator's subscription (commitcast-events). */
    public Pattern changeTopics() {
        return ChangeTopics.pattern(topicPrefix);
    }

    /** The change topics for messages: {@code <prefix>.<schema>.<table>}. */
    public String describeChangeTopics() {
        return ChangeTopics.describe(topicPrefix);
    }

    /** The dead-letter topic the invalidator uses by default, {@code <prefix>.dlq}. */
    public String dlqTopic() {
        return ChangeTopics.dlq(topicPrefix);
    }
}
