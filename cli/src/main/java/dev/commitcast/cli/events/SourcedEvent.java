package dev.commitcast.cli.events;

/**
 * One item of an {@link EventSource}: a record, or a malformed line with why it could not be read.
 *
 * @param origin where it came from, for messages: {@code line 7} or {@code commitcast.public.users-0@42}
 * @param line   its line number in a file (1-based), or 0 when it came from Kafka
 * @param event  the record, {@code null} when malformed
 * @param error  why the line is malformed, {@code null} otherwise
 */
public record SourcedEvent(String origin, long line, EventRecord event, String error) {

    static SourcedEvent ofLine(long line, EventRecord event) {
        return new SourcedEvent("line " + line, line, event, null);
    }

    static SourcedEvent malformedLine(long line, String error) {
        return new SourcedEvent("line " + line, line, null, error);
    }

    static SourcedEvent ofKafka(EventRecord event) {
        return new SourcedEvent(event.position(), 0, event, null);
    }

    public boolean malformed() {
        return error != null;
    }
}
