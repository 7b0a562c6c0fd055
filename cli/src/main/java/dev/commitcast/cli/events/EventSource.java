package dev.commitcast.cli.events;

/**
 * Where {@code replay} reads recorded change events from: a JSON-lines file ({@link FileEventSource}) or a range of a
 * Kafka topic ({@link TopicEventSource}). Single-threaded; close it when done.
 */
public interface EventSource extends AutoCloseable {

    /** Returns the next item, or {@code null} when the source is exhausted. */
    SourcedEvent next();

    /** Says what is read, e.g. {@code events.jsonl} or {@code commitcast.public.users from offset 10}. */
    String describe();

    @Override
    void close();
}
