package dev.commitcast.client;

import dev.commitcast.core.Rules;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Whether this instance runs the same rules as every invalidator that broadcasts to it: every broadcast carries its
 * publisher's rules fingerprint. While one publisher heard within {@link #WINDOW} runs other rules, the keys it
 * deletes and evicts may not be the keys this instance caches (a half-finished deploy of a rules change, with
 * several invalidators in one group), so the caches are not trusted (reads go to the source) — even while another
 * publisher agrees. Entering and leaving the disagreement flushes L1, since evictions meanwhile could not be applied.
 * A publisher that falls silent (a stopped invalidator) stops counting after the window.
 *
 * <p>Gauges {@code commitcast_rules_mismatch} (1 while they differ) and {@code commitcast_rules_info{fingerprint}}
 * (always 1; every Commitcast process exports it, so {@code status} compares them). Thread-safe; {@link #agrees()}
 * is on every read and takes no lock while the rules agree.
 */
final class RulesAgreement {

    /**
     * How long a publisher under other rules keeps the caches bypassed after its last broadcast: several of its
     * heartbeat intervals (1 s by default), so a live publisher never drops out between two heartbeats.
     */
    static final Duration WINDOW = Duration.ofSeconds(15);

    private static final Logger LOG = LoggerFactory.getLogger(RulesAgreement.class);

    private record Heard(String fingerprint, long atNanos) {
    }

    private final String ours;
    private final String source;
    private final Consumer<String> flushL1;
    private final LongSupplier nanoTime;
    private final long windowNanos;
    private final Map<String, Heard> differing = new HashMap<>(); // guarded by this
    private volatile boolean agreed = true;
    private volatile String theirs;

    RulesAgreement(Rules rules, L1Evictions evictions, MeterRegistry registry) {
        this(rules.fingerprint(), rules.source(), evictions::flushAll, registry, System::nanoTime, WINDOW);
    }

    RulesAgreement(String ours, String source, Consumer<String> flushL1, MeterRegistry registry,
                   LongSupplier nanoTime, Duration window) {
        this.ours = ours;
        this.source = source;
        this.flushL1 = flushL1;
        this.nanoTime = nanoTime;
        this.windowNanos = window.toNanos();
        Gauge.builder("commitcast.rules.mismatch", this, a -> a.agrees() ? 0 : 1)
                .description("1 while an invalidator broadcasts under other rules than this instance's (caches "
                        + "bypassed)").register(registry);
        Gauge.builder("commitcast.rules.info", () -> 1).tag("fingerprint", ours)
                .description("The fingerprint of the rules file this process runs").register(registry);
    }

    /** Notes the fingerprint of a broadcast of {@code publisher}. */
    void observe(String publisher, String fingerprint) {
        if (fingerprint.equals(ours) && agreed) {
            return; // the common case, no lock
        }
        synchronized (this) {
            if (fingerprint.equals(ours)) {
                differing.remove(publisher);
            } else {
                Heard previous = differing.put(publisher, new Heard(fingerprint, nanoTime.getAsLong()));
                if (previous == null || !previous.fingerprint().equals(fingerprint)) {
                    LOG.error("Invalidator {} broadcasts under rules {}, this instance runs rules {} from {}: its "
                            + "evictions may name other keys than this instance caches, so reads bypass the caches "
                            + "until every invalidator runs the same rules file", publisher,
                            fingerprint, ours, source);
                }
            }
            update();
        }
    }

    /** Returns whether no publisher heard within the window runs other rules. */
    boolean agrees() {
        if (agreed) {
            return true;
        }
        synchronized (this) {
            update();
            return agreed;
        }
    }

    private void update() {
        long now = nanoTime.getAsLong();
        differing.values().removeIf(heard -> now - heard.atNanos() > windowNanos);
        boolean agreeNow = differing.isEmpty();
        theirs = agreeNow ? null : differing.values().iterator().next().fingerprint();
        if (agreeNow == agreed) {
            return;
        }
        if (!agreeNow) {
            agreed = false; // first: reads bypass the caches at once
            flushL1.accept("rules-differ");
            return;
        }
        flushL1.accept("rules-agree");
        agreed = true; // after the flush: whoever sees agreement sees an L1 without entries of the disagreement
        {
            LOG.info("Every invalidator broadcasts under this instance's rules ({}) again; L1 flushed, caches trusted "
                    + "when the watermark is fresh", ours);
        }
    }

    /** Returns this instance's rules fingerprint. */
    String ours() {
        return ours;
    }

    /** Returns a differing fingerprint of a publisher heard within the window, or null while they agree. */
    String theirs() {
        return theirs;
    }
}
