package dev.commitcast.invalidator.dlq;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.Objects;

/**
 * A record the invalidator could not decode or map, with why. Its table was over-invalidated instead.
 *
 * @param record the original record, key, value and headers untouched
 * @param error  what was wrong, e.g. {@code malformed users UPDATE change: column 'org_id' missing in after image}
 * @param errorClass the simple name of the exception that reported it
 */
public record DeadLetter(ConsumerRecord<byte[], byte[]> record, String error, String errorClass) {

    public DeadLetter {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(errorClass, "errorClass");
    }

    /** Returns {@code topic-partition@offset}, for logs. */
    public String origin() {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
