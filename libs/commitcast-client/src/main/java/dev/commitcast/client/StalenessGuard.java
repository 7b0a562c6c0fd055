package dev.commitcast.client;

import dev.commitcast.core.Watermark;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides whether the caches are fresh enough to serve, from the newest pipeline {@link Watermark} received on the
 * eviction broadcast: staleness = now − watermark commit time. With the guard enabled the caches are trusted only
 * while staleness is within the budget; before the first watermark they are
 * not trusted (nothing proves invalidations are flowing). Trust returns by itself when fresh watermarks arrive. Never
 * trusted while the invalidator broadcasts under other rules ({@link RulesAgreement}), whether the guard is enabled
 * or not; with the guard, also not while the Redis server is not the one the invalidator made the key space
 * consistent on ({@link RedisIdentity}: a restarted Redis may have loaded old values).
 *
 * <p>Gauge {@code commitcast_staleness_seconds} (NaN until a watermark arrived). Time comes from the injected
 * {@link Clock}. Thread-safe and cheap: {@link #trusted()} is on every read.
 */
final class StalenessGuard implements CacheTrust {

    private static final Logger LOG = LoggerFactory.getLogger(StalenessGuard.class);

    private final Clock clock;
    private final boolean enabled;
    private final long budgetMillis;
    private final AtomicReference<Watermark> newest = new AtomicReference<>();
    private final AtomicBoolean lastVerdict = new AtomicBoolean(true);
    private final RulesAgreement rules;
    private final RedisIdentity server;
    private final AppliedWatermark applied;

    StalenessGuard(Clock clock, Settings settings, RulesAgreement rules, RedisIdentity server,
                   AppliedWatermark applied, MeterRegistry registry) {
        this.applied = applied;
        this.clock = clock;
        this.rules = rules;
        this.server = server;
        this.enabled = settings.stalenessEnabled();
        this.budgetMillis = settings.stalenessBudget().toMillis();
        Gauge.builder("commitcast.staleness", this, StalenessGuard::stalenessSeconds).baseUnit("seconds")
                .description("Age of the newest pipeline watermark: how late invalidations may be")
                .register(registry);
    }

    /** Records a received watermark; older ones than the newest ({@link Watermark#isAfter}) are ignored. */
    void observe(Watermark watermark) {
        Watermark now = newest.accumulateAndGet(watermark, (current, candidate) ->
                current == null || candidate.isAfter(current) ? candidate : current);
        applied.advance(now.lsn());
    }

    @Override
    public boolean trusted() {
        if (!rules.agrees()) {
            return false; // RulesAgreement logged why
        }
        if (!enabled) {
            return true;
        }
        Watermark current = newest.get();
        boolean serverVerified = server.verified();
        boolean trusted = serverVerified && current != null
                && clock.millis() - current.commitTime().toEpochMilli() <= budgetMillis;
        if (lastVerdict.compareAndSet(!trusted, trusted)) {
            if (trusted) {
                LOG.info("Caches trusted again: pipeline watermark {} is within the {} ms staleness budget",
                        current, budgetMillis);
            } else {
                LOG.warn("Caches bypassed: {}; serving from the source until {}", !serverVerified ? server.problem()
                        : current == null ? "no pipeline watermark received yet"
                        : "pipeline watermark " + current + " is older than the " + budgetMillis
                        + " ms staleness budget", !serverVerified ? "the invalidator has made the key space "
                        + "consistent on this Redis server" : "a fresh watermark arrives");
            }
        }
        return trusted;
    }

    /** Returns whether the guard is enabled. */
    boolean enabled() {
        return enabled;
    }

    /** Returns the newest watermark, or {@code null}. */
    Watermark newest() {
        return newest.get();
    }

    /** Returns the current staleness, or {@code null} before the first watermark. */
    Duration staleness() {
        Watermark current = newest.get();
        return current == null ? null : Duration.ofMillis(clock.millis() - current.commitTime().toEpochMilli());
    }

    /** Returns the budget. */
    Duration budget() {
        return Duration.ofMillis(budgetMillis);
    }

    private double stalenessSeconds() {
        Duration staleness = staleness();
        return staleness == null ? Double.NaN : staleness.toMillis() / 1000.0;
    }
}
