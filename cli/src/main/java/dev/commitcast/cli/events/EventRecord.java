package dev.commitcast.cli.events;

import dev.commitcast.events.WatermarkMarker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One Kafka record of a change topic as {@code record} writes it and {@code replay} reads it: where it was, when, and
 * its key, value and headers as UTF-8 text (change events and markers are JSON, so nothing is lost for them).
 *
 * @param topic     the topic, e.g. {@code commitcast.public.users}
 * @param partition its partition
 * @param offset    its offset
 * @param timestamp the record timestamp, epoch milliseconds ({@code -1} when unknown); the decoder's last resort
 *                  for the commit time
 * @param key       the key text, or {@code null}
 * @param value     the value text (the Debezium envelope), or {@code null} for a tombstone
 * @param headers   header name to value text (the last value of a repeated header), in record order
 * @param marker    whether it is a cdc-connector watermark marker (header {@code commitcast-marker: watermark})
 */
public record EventRecord(String topic, int partition, long offset, long timestamp, String key, String value,
                          Map<String, String> headers, boolean marker) {

    public EventRecord {
        Objects.requireNonNull(topic, "topic");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** The record as read from Kafka; flagged as a marker exactly when the invalidator would treat it as one. */
    public static EventRecord of(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : text(header.value()));
        }
        return new EventRecord(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.key() == null ? null : text(record.key()), record.value() == null ? null : text(record.value()),
                headers, WatermarkMarker.isMarker(record.headers()));
    }

    /** The headers as Kafka headers, for {@link WatermarkMarker#isMarker(Headers)}. */
    public Headers kafkaHeaders() {
        RecordHeaders kafka = new RecordHeaders();
        headers.forEach((name, text) -> kafka.add(name, text == null ? null : text.getBytes(StandardCharsets.UTF_8)));
        return kafka;
    }

    /** The value's bytes, or {@code null} for a tombstone. */
    public byte[] valueBytes() {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code topic-partition@offset}, as the invalidator's logs name records. */
    public String position() {
        return topic + "-" + partition + "@" + offset;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
