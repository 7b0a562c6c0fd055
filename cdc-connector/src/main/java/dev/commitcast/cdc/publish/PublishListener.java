package dev.commitcast.cdc.publish;

import java.util.List;

/** Observes the publisher: metrics, health and watermark markers hang off it. Called on the engine's thread. */
public interface PublishListener {

    /**
     * The engine handed a batch over: Postgres' WAL is decoded and converted to change events, nothing is sent yet.
     *
     * @param events        the batch's records in stream order
     * @param decodedMicros when the engine handed it over, epoch microseconds
     */
    default void batchDecoded(List<DecodedEvent> events, long decodedMicros) {
    }

    /**
     * Every record of a batch was acknowledged by Kafka (and marked processed).
     *
     * @param events    the batch's records in stream order
     * @param ackMicros when the last acknowledgement arrived, epoch microseconds
     */
    void batchAcked(List<DecodedEvent> events, long ackMicros);

    /** A batch could not be published; the engine is about to stop. */
    void publishFailed(Throwable cause);

    /** A listener that does nothing. */
    PublishListener NONE = new PublishListener() {
        @Override
        public void batchAcked(List<DecodedEvent> events, long ackMicros) {
        }

        @Override
        public void publishFailed(Throwable cause) {
        }
    };
}
