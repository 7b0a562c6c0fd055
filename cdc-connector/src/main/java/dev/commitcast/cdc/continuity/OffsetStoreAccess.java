package dev.commitcast.cdc.continuity;

import dev.commitcast.cdc.CdcException;
import dev.commitcast.cdc.CdcSettings;
import dev.commitcast.cdc.engine.DebeziumProperties;
import io.debezium.embedded.EmbeddedWorkerConfig;
import io.debezium.embedded.KafkaConnectUtil;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.OffsetBackingStore;
import org.apache.kafka.connect.storage.OffsetStorageReaderImpl;
import org.apache.kafka.connect.storage.OffsetStorageWriter;

/**
 * Reads and writes the Debezium engine's offset store (the file or Kafka topic the engine itself uses, opened the
 * same way) while the engine is not running: the stored source position, and beside it, under a partition of its
 * own, the identity of the database that position belongs to. Storing the identity in the same store means the two
 * are lost or restored together. Open one per check; not thread-safe.
 */
final class OffsetStoreAccess implements AutoCloseable {

    /** Debezium's Postgres source partition: {@code {"server": <topic.prefix>}}. */
    private final Map<String, Object> sourcePartition;
    private static final Map<String, Object> IDENTITY_PARTITION = Map.of("commitcast", "stream-identity");

    private final OffsetBackingStore store;
    private final OffsetStorageReaderImpl reader;
    private final OffsetStorageWriter writer;

    private OffsetStoreAccess(OffsetBackingStore store, String namespace, Map<String, Object> sourcePartition) {
        this.store = store;
        this.sourcePartition = sourcePartition;
        JsonConverter keys = converter(true);
        JsonConverter values = converter(false);
        this.reader = new OffsetStorageReaderImpl(store, namespace, keys, values);
        this.writer = new OffsetStorageWriter(store, namespace, keys, values);
    }

    /**
     * Opens the store the engine of these settings uses.
     *
     * @throws CdcException when it cannot be opened (e.g. Kafka unreachable for the Kafka store)
     */
    static OffsetStoreAccess open(CdcSettings settings) {
        Properties properties = DebeziumProperties.from(settings);
        Map<String, String> config = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> config.put(name, properties.getProperty(name)));
        OffsetBackingStore store = switch (settings.offsetStore()) {
            case FILE -> KafkaConnectUtil.fileOffsetBackingStore();
            case KAFKA -> KafkaConnectUtil.kafkaOffsetBackingStore(config);
        };
        try {
            store.configure(new EmbeddedWorkerConfig(config));
            store.start();
        } catch (RuntimeException e) {
            try {
                store.stop();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new CdcException("Cannot open the offset store (" + settings.offsetStore() + "): " + e.getMessage(),
                    e);
        }
        return new OffsetStoreAccess(store, settings.engineName(), Map.of("server", settings.topicPrefix()));
    }

    private static JsonConverter converter(boolean isKey) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "false"), isKey);
        return converter;
    }

    /** The engine's stored source position ({@code lsn}, {@code lsn_commit}, ...), or null when there is none. */
    Map<String, Object> sourceOffset() {
        return reader.offset(sourcePartition);
    }

    /** The recorded database identity, or null. */
    StreamIdentity identity() {
        Map<String, Object> stored = reader.offset(IDENTITY_PARTITION);
        return stored == null ? null : StreamIdentity.fromMap(stored);
    }

    /** Removes the engine's stored position (it then starts at its slot's position) and records the identity. */
    void restart(StreamIdentity identity) {
        writer.offset(sourcePartition, null);
        writer.offset(IDENTITY_PARTITION, identity.toMap());
        flush();
    }

    /** Records the identity the stored position belongs to. */
    void recordIdentity(StreamIdentity identity) {
        writer.offset(IDENTITY_PARTITION, identity.toMap());
        flush();
    }

    private void flush() {
        try {
            if (writer.beginFlush(30, TimeUnit.SECONDS)) {
                writer.doFlush((error, ignored) -> { }).get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            writer.cancelFlush();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new CdcException("Cannot write the offset store: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        reader.close();
        store.stop();
    }
}
