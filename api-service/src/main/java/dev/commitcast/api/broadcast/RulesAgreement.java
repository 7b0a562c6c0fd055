package dev.commitcast.api.broadcast;

import dev.commitcast.api.cache.L1Evictions;
import dev.commitcast.core.Rules;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this instance runs the same rules as the invalidator that broadcasts to it: every broadcast carries the
 * publisher's rules fingerprint. While they differ, the keys the invalidator deletes and evicts may not be the keys
 * this instance caches (a half-finished deploy of a rules change), so the caches are not trusted (reads go to
 * Postgres) until they agree again. Entering and leaving the disagreement flushes L1, since evictions sent meanwhile
 * could not be applied.
 *
 * <p>Gauges {@code commitcast_rules_mismatch} (1 while they differ) and {@code commitcast_rules_info{fingerprint}}
 * (always 1; every Commitcast process exports it, so {@code status} compares them). Thread-safe.
 */
@Singleton
public final class RulesAgreement {

    private static final Logger LOG = LoggerFactory.getLogger(RulesAgreement.class);

    private final String ours;
    private final String source;
    private final L1Evictions evictions;
    private volatile String theirs;

    RulesAgreement(Rules rules, L1Evictions evictions, MeterRegistry registry) {
        this.ours = rules.fingerprint();
        this.source = rules.source();
        this.evictions = evictions;
        Gauge.builder("commitcast.rules.mismatch", this, a -> a.agrees() ? 0 : 1)
                .description("1 while the invalidator broadcasts under other rules than this instance's (caches "
                        + "bypassed)").register(registry);
        Gauge.builder("commitcast.rules.info", () -> 1).tag("fingerprint", ours)
                .description("The fingerprint of the rules file this process runs").register(registry);
    }

    /** Notes the fingerprint of a received broadcast. */
    void observe(String fingerprint) {
        if (fingerprint.equals(ours)) {
            if (theirs != null) {
                theirs = null;
                evictions.flushAll("rules-agree");
                LOG.info("The invalidator broadcasts under this instance's rules ({}) again; L1 flushed, caches "
                        + "trusted when the watermark is fresh", ours);
            }
        } else if (!fingerprint.equals(theirs)) {
            theirs = fingerprint;
            evictions.flushAll("rules-differ");
            LOG.error("The invalidator broadcasts under rules {}, this instance runs rules {} from {}: its evictions "
                    + "may name other keys than this instance caches, so reads bypass the caches until both run the "
                    + "same rules file (commitcast.rules)", fingerprint, ours, source);
        }
    }

    /** Returns whether the last broadcast was published under this instance's rules (or none arrived yet). */
    public boolean agrees() {
        return theirs == null;
    }

    /** Returns this instance's rules fingerprint. */
    public String ours() {
        return ours;
    }

    /** Returns the invalidator's differing fingerprint, or null while they agree. */
    public String theirs() {
        return theirs;
    }
}
