package dev.commitcast.client;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Agreement over several publishers (a rolling deploy of a rules change with two invalidators in one group). */
class RulesAgreementTest {

    private static final String OURS = "0000000000000001";
    private static final String OTHER = "00000000000000ff";

    private final AtomicLong now = new AtomicLong();
    private final List<String> flushes = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RulesAgreement agreement = new RulesAgreement(OURS, "rules.yml", flushes::add, registry, now::get,
            Duration.ofSeconds(15));

    private void at(int seconds) {
        now.set(Duration.ofSeconds(seconds).toNanos());
    }

    @Test
    void oneDifferingPublisherKeepsTheCachesBypassedWhileAnotherAgrees() {
        agreement.observe("x", OURS);
        assertTrue(agreement.agrees());
        agreement.observe("y", OTHER);
        assertFalse(agreement.agrees());
        assertEquals(OTHER, agreement.theirs());
        assertEquals(List.of("rules-differ"), flushes);
        assertEquals(1.0, registry.get("commitcast.rules.mismatch").gauge().value());

        for (int second = 1; second <= 10; second++) {
            at(second);
            agreement.observe("x", OURS);
            assertFalse(agreement.agrees(), "x's heartbeats must not restore trust while y was heard " + second + " s ago");
        }
        at(11);
        agreement.observe("y", OTHER); // y is alive: its window starts again
        at(25);
        assertFalse(agreement.agrees());
        at(27);
        assertTrue(agreement.agrees(), "y fell silent for longer than the window");
        assertNull(agreement.theirs());
        assertEquals(List.of("rules-differ", "rules-agree"), flushes);
        assertEquals(0.0, registry.get("commitcast.rules.mismatch").gauge().value());
    }

    @Test
    void aPublisherSwitchingToOurRulesRestoresTrustAtOnce() {
        agreement.observe("y", OTHER);
        assertFalse(agreement.agrees());
        agreement.observe("y", OURS);
        assertTrue(agreement.agrees());
        assertEquals(List.of("rules-differ", "rules-agree"), flushes);
    }

    @Test
    void exportsItsFingerprint() {
        assertEquals(1.0, registry.get("commitcast.rules.info").tag("fingerprint", OURS).gauge().value());
    }
}
