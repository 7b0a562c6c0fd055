package dev.commitcast.cli.status;

import dev.commitcast.core.KeySpace;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * What {@code status} looks at; absent ones ({@code null}, empty) are left out of the screen.
 *
 * @param apis           api-service base URLs
 * @param invalidators   invalidator base URLs: every instance of the consumer group (named {@code invalidator},
 *                       {@code invalidator-2}, ... on the screen, as {@code up} names them)
 * @param cdc            cdc-connector base URL
 * @param redisUri       Redis, for the watermark key
 * @param keySpace       the key space of the watermark key
 * @param kafkaBootstrap Kafka, for the DLQ topic's size
 * @param dlqTopic       the dead-letter topic
 * @param supervision    what {@code up}'s watchdog did to each service (by the name status shows: {@code
 *                       api-service-1}, {@code invalidator}, {@code cdc-connector}): fact {@code restarts} and
 *                       {@code gave-up}; empty when the services are not run by {@code up}
 */
public record StatusTargets(List<URI> apis, List<URI> invalidators, URI cdc, String redisUri, KeySpace keySpace,
                            String kafkaBootstrap, String dlqTopic, Map<String, Map<String, String>> supervision) {
    public StatusTargets {
        apis = List.copyOf(apis);
        invalidators = List.copyOf(invalidators);
        supervision = Map.copyOf(supervision);
    }
}
