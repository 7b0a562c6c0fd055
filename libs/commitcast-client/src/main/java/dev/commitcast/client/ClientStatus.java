package dev.commitcast.client;

import java.time.Duration;

/**
 * A snapshot of a {@link CommitcastClient}'s state, for health checks, status pages and alerts.
 *
 * @param enabled               whether caching is switched on (the kill switch)
 * @param trusted               whether the caches are served now (else reads bypass them)
 * @param guardEnabled          whether the staleness guard is on
 * @param staleness             age of the newest pipeline watermark, {@code null} before the first one
 * @param budget                the staleness budget
 * @param watermark             the newest watermark in its wire form, {@code null} before the first one
 * @param subscribed            whether the eviction subscription is confirmed
 * @param serverVerified        whether the Redis server is the one the invalidator made the key space consistent on
 *                              (always with the guard off)
 * @param serverProblem         why it is not verified, {@code null} when it is
 * @param rules                 this client's rules fingerprint
 * @param otherRules            the fingerprint of an invalidator broadcasting under other rules, {@code null} when
 *                              every one agrees
 * @param l1Enabled             whether L1 is used
 * @param l1Size                L1 entries (estimate)
 * @param l1Weight              L1 weight in bytes (approximate)
 * @param l1MaxWeight           the L1 bound in bytes
 * @param l2Enabled             whether L2 is used
 * @param l2Connected           whether the shared Redis connection is open
 * @param l2Circuit             the L2 circuit breaker's state: {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
 * @param l2ConsecutiveFailures Redis failures since the last success
 * @param loadsInFlight         loads currently in flight
 */
public record ClientStatus(boolean enabled, boolean trusted, boolean guardEnabled, Duration staleness,
                           Duration budget, String watermark, boolean subscribed, boolean serverVerified,
                           String serverProblem, String rules, String otherRules, boolean l1Enabled, long l1Size,
                           long l1Weight, long l1MaxWeight, boolean l2Enabled, boolean l2Connected, String l2Circuit,
                           int l2ConsecutiveFailures, int loadsInFlight) {

    /** Returns whether L2 is usable: enabled, connected and its circuit closed. */
    public boolean l2Up() {
        return l2Enabled && l2Connected && "CLOSED".equals(l2Circuit);
    }
}
