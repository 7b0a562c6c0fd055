package dev.commitcast.cli.platform;

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
            description = "Debezium topic prefix: change topics are <prefix>.public.<table> (default: ${DEFAULT-VALUE}).")
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

    /** The change topics, {@code <prefix>\.public\..+}: the invalidator's subscription pattern. */
    public Pattern changeTopics() {
        return changeTopics(topicPrefix);
    }

    /** The change topics for messages: {@code <prefix>.public.*}. */
    public String describeChangeTopics() {
        return topicPrefix + ".public.*";
    }

    /** The dead-letter topic the invalidator uses by default, {@code <prefix>.dlq}. */
    public String dlqTopic() {
        return topicPrefix + ".dlq";
    }

    /** The change topics of a prefix, defined exactly as the invalidator's {@code InvalidatorConfig.changeTopics()}. */
    public static Pattern changeTopics(String prefix) {
        return Pattern.compile(Pattern.quote(prefix + ".public.") + ".+");
    }
}
