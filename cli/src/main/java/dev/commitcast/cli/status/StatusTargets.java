package dev.commitcast.cli.status;

import dev.commitcast.core.KeySpace;

import java.net.URI;
import java.util.List;

/**
 * What {@code status} looks at; absent ones ({@code null}, empty) are left out of the screen.
 *
 * @param apis           api-service base URLs
 * @param invalidator    invalidator base URL
 * @param cdc            cdc-connector base URL
 * @param redisUri       Redis, for the watermark key
 * @param keySpace       the key space of the watermark key
 * @param kafkaBootstrap Kafka, for the DLQ topic's size
 * @param dlqTopic       the dead-letter topic
 */
public record StatusTargets(List<URI> apis, URI invalidator, URI cdc, String redisUri, KeySpace keySpace,
                            String kafkaBootstrap, String dlqTopic) {
    public StatusTargets {
        apis = List.copyOf(apis);
    }
}
