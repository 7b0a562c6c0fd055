package dev.commitcast.cdc.testsupport;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/** Engine records and a recording committer for publisher unit tests. */
public final class TestEvents {
    private TestEvents() {
    }

    /** An engine record as the Json(ByteArray) format delivers it. */
    public record Event(String destination, byte[] key, byte[] value) implements ChangeEvent<byte[], byte[]> {
        @Override
        public Integer partition() {
            return null;
        }
    }

    public static Event change(String topic, String table, String op, long id, long lsn, long commitMicros) {
        String value = "{\"before\":null,\"after\":{\"id\":" + id + "},\"source\":{\"table\":\"" + table
                + "\",\"lsn\":" + lsn + ",\"ts_ms\":" + commitMicros / 1000 + ",\"ts_us\":" + commitMicros
                + ",\"txId\":7},\"op\":\"" + op + "\",\"ts_ms\":1}";
        return new Event(topic, bytes("{\"id\":" + id + "}"), bytes(value));
    }

    public static Event truncate(String topic, String table, long lsn, long commitMicros) {
        String value = "{\"before\":null,\"after\":null,\"source\":{\"table\":\"" + table + "\",\"lsn\":" + lsn
                + ",\"ts_us\":" + commitMicros + "},\"op\":\"t\",\"ts_ms\":1}";
        return new Event(topic, null, bytes(value));
    }

    public static Event heartbeatMessage(String messageTopic, long lsn, long commitMicros) {
        String value = "{\"op\":\"m\",\"source\":{\"table\":\"\",\"lsn\":" + lsn + ",\"ts_us\":" + commitMicros
                + "},\"message\":{\"prefix\":\"commitcast-heartbeat\",\"content\":\"eA==\"}}";
        return new Event(messageTopic, bytes("{\"prefix\":\"commitcast-heartbeat\"}"), bytes(value));
    }

    public static Event heartbeat(String heartbeatTopic) {
        return new Event(heartbeatTopic, bytes("{\"serverName\":\"x\"}"), bytes("{\"ts_ms\":1}"));
    }

    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Records what the publisher marks and, for each mark, the value of {@code acksCompleted} at that moment, so a
     * test proves that nothing was marked while an acknowledgement was outstanding.
     */
    public static final class RecordingCommitter implements DebeziumEngine.RecordCommitter<ChangeEvent<byte[], byte[]>> {
        private final IntSupplier acksCompleted;
        public final List<ChangeEvent<byte[], byte[]>> marked = new ArrayList<>();
        public final List<Integer> acksCompletedAtMark = new ArrayList<>();
        public volatile boolean batchFinished;

        public RecordingCommitter(IntSupplier acksCompleted) {
            this.acksCompleted = acksCompleted;
        }

        @Override
        public synchronized void markProcessed(ChangeEvent<byte[], byte[]> record) {
            marked.add(record);
            acksCompletedAtMark.add(acksCompleted.getAsInt());
        }

        @Override
        public synchronized void markBatchFinished() {
            batchFinished = true;
        }

        @Override
        public void markProcessed(ChangeEvent<byte[], byte[]> record, DebeziumEngine.Offsets offsets) {
            markProcessed(record);
        }

        @Override
        public DebeziumEngine.Offsets buildOffsets() {
            throw new UnsupportedOperationException();
        }
    }
}
