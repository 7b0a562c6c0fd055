package dev.commitcast.cli.status;

import dev.commitcast.cli.platform.ServiceKind;

/**
 * The pipeline's per-change latency stages, each measured from the change's Postgres commit, in pipeline order: the
 * one list that {@code status}, {@code up}'s pipeline check and the latency benchmark read. Each stage is a histogram
 * that one service exports on {@code /metrics}, summed over that service's instances.
 */
public enum PipelineStage {
    /** The connector's engine handed the change's batch to the publisher. */
    DECODED("decoded", ServiceKind.CDC_CONNECTOR, "commitcast_cdc_commit_to_decoded_seconds"),
    /** Kafka acknowledged the change's event. */
    KAFKA_ACK("kafka ack", ServiceKind.CDC_CONNECTOR, "commitcast_cdc_commit_to_ack_seconds"),
    /** The change's batch reached an invalidator (first attempt). */
    CONSUMED("consumed", ServiceKind.INVALIDATOR, "commitcast_invalidator_commit_to_consumed_seconds"),
    /** Its Redis deletes were done. */
    REDIS_DELETE("redis delete", ServiceKind.INVALIDATOR, "commitcast_invalidator_commit_to_delete_seconds"),
    /** Its L1 eviction broadcast was sent. */
    BROADCAST("broadcast", ServiceKind.INVALIDATOR, "commitcast_invalidator_commit_to_broadcast_seconds");

    private final String label;
    private final ServiceKind service;
    private final String histogram;

    PipelineStage(String label, ServiceKind service, String histogram) {
        this.label = label;
        this.service = service;
        this.histogram = histogram;
    }

    /** A short name for tables: {@code decoded}, {@code kafka ack}, ... */
    public String label() {
        return label;
    }

    /** The service that measures it: the cdc-connector or the invalidator. */
    public ServiceKind service() {
        return service;
    }

    /** The Prometheus histogram's name, without {@code _bucket}, {@code _count} or {@code _sum}. */
    public String histogram() {
        return histogram;
    }

    /** The histogram's count: how many changes have reached this stage. */
    public String count() {
        return histogram + "_count";
    }
}
