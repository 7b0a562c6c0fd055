package dev.commitcast.client;

import dev.commitcast.redis.RedisEndpoint;

import java.time.Duration;

/**
 * The validated settings of one {@link CommitcastClient}, as {@link CommitcastClient.Builder} collected them; handed
 * to the internal components instead of the builder. Immutable.
 */
record Settings(RedisEndpoint endpoint, Duration commandTimeout, Duration connectTimeout, int requestQueueSize,
                Duration reconnectDelayMax, int breakerFailureThreshold, Duration breakerCoolDown, boolean enabled,
                boolean l1Enabled, long l1MaxWeight, Duration l1MaxTtl, boolean l2Enabled, Duration leaseTtl,
                boolean stalenessEnabled, Duration stalenessBudget, Duration loadTimeout,
                Duration readYourWritesWait) {
}
