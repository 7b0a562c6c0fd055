package dev.commitcast.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of a {@link CommitcastClient}'s state, for health checks, status pages and alerts.
 *
 * @param enabled               whether caching is switched on (the kill switch)
 * @param trusted               whether the caches are served now (else reads bypass them)
 * @param guardEnabled          whether the staleness guard is on
 * @param staleness             age of the newest pipeline watermark, {@code null} before the first one
 * @param budget                the staleness budget
 * @param watermark             the newest watermark in its wire form, {@code null} before the first one
 * @param appliedLsn            the LSN applied through (read-your-writes), Postgres' text form, or {@code null}
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
                           Duration budget, String watermark, String appliedLsn, boolean subscribed,
                           boolean serverVerified, String serverProblem, String rules, String otherRules,
                           boolean l1Enabled, long l1Size,
                           long l1Weight, long l1MaxWeight, boolean l2Enabled, boolean l2Connected, String l2Circuit,
                           int l2ConsecutiveFailures, int loadsInFlight) {

    /**
     * Returns the freshness details a health check shows: {@code caches} ({@code TRUSTED}, {@code DEGRADED} or
     * {@code DISABLED}), the guard, staleness and budget, watermark, applied LSN, eviction subscription, Redis server
     * check and both rules fingerprints, plus {@code impact} while the caches are bypassed.
     */
    public Map<String, Object> freshnessDetails() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("caches", !enabled ? "DISABLED" : trusted ? "TRUSTED" : "DEGRADED");
        details.put("guard", guardEnabled ? "ENABLED" : "DISABLED");
        details.put("stalenessMillis", staleness == null ? "no watermark yet" : staleness.toMillis());
        details.put("budgetMillis", budget.toMillis());
        details.put("watermark", watermark == null ? "none" : watermark);
        details.put("appliedLsn", appliedLsn == null ? "none" : appliedLsn);
        details.put("evictionSubscription", subscribed ? "UP" : "DOWN");
        details.put("redisServer", serverVerified ? "VERIFIED" : serverProblem);
        details.put("rules", rules);
        details.put("invalidatorRules", otherRules == null ? "same" : otherRules + " (differs: caches bypassed until "
                + "both run the same rules file)");
        if (enabled && !trusted) {
            details.put("impact", "reads bypass the caches and are served by their loaders (BYPASS)");
        }
        return details;
    }

    /**
     * Returns the L2 details a health check shows: {@code l2} ({@code UP}, {@code DOWN} or {@code DISABLED}), the
     * connection, the circuit and its consecutive failures, plus {@code impact} while it is not up.
     */
    public Map<String, Object> l2Details() {
        Map<String, Object> details = new LinkedHashMap<>();
        String status = !enabled || !l2Enabled ? "DISABLED" : l2Up() ? "UP" : "DOWN";
        details.put("l2", status);
        details.put("connected", l2Connected);
        details.put("circuit", l2Circuit);
        details.put("consecutiveFailures", l2ConsecutiveFailures);
        if (!"UP".equals(status)) {
            details.put("impact", "reads are served from L1 and their loaders; L2 is retried automatically");
        }
        return details;
    }

    /** Returns whether L2 is usable: enabled, connected and its circuit closed. */
    public boolean l2Up() {
        return l2Enabled && l2Connected && "CLOSED".equals(l2Circuit);
    }
}
