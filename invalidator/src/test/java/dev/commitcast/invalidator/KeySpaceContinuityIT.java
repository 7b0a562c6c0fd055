package dev.commitcast.invalidator;

import static dev.commitcast.invalidator.support.Fixture.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.core.CacheKey;
import dev.commitcast.core.Watermark;
import dev.commitcast.core.wire.EvictionMessage;
import dev.commitcast.invalidator.apply.ApplyHooks;
import dev.commitcast.invalidator.continuity.KeySpaceContinuity;
import dev.commitcast.invalidator.support.Broadcasts;
import dev.commitcast.invalidator.support.Fixture;
import dev.commitcast.testsupport.DemoKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An invalidator publishes a watermark — on which the API trusts its caches — only for a key space consistent under
 * its rules: when the key space was made consistent under other rules (a rules change), or nothing records it, or
 * the connector's markers were written under other rules meanwhile (changes of tables it did not capture are lost),
 * everything is invalidated (Redis and a flush broadcast to every L1) before the first watermark.
 */
class KeySpaceContinuityIT {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MICROS).minusSeconds(60);
    private static final CacheKey CACHED = DemoKeys.user(42, 9);

    @Test
    void aKeySpaceMadeConsistentUnderOtherRulesIsInvalidatedBeforeTheFirstWatermark() throws Exception {
        try (Fixture fx = new Fixture("rules-changed")) {
            fx.createTopics(1, "users");
            fx.seed(CACHED);
            fx.redis().set(fx.keySpace.rulesKey(), "00000000deadbeef");
            Broadcasts broadcasts = fx.subscribe();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            Invalidator invalidator = fx.start(ApplyHooks.NONE, registry);

            fx.sendMarker("users", 0, 100, T0);
            EvictionMessage first = broadcasts.await("a watermark", m -> m.watermark() != null, WAIT);
            assertFlushBefore(broadcasts.all(), first);
            assertFalse(fx.cached(CACHED), "a value filled under the old rules is gone");
            assertEquals(fx.rules.fingerprint(), fx.redis().get(fx.keySpace.rulesKey()));
            assertEquals(1.0, fullInvalidations(registry, "rules-changed"));
            assertEquals(KeySpaceContinuity.State.VERIFIED, invalidator.status().keySpace());
        }
    }

    @Test
    void aKeySpaceConsistentUnderTheSameRulesIsKept() throws Exception {
        try (Fixture fx = new Fixture("same-rules")) {
            fx.createTopics(1, "users");
            fx.seed(CACHED);
            Broadcasts broadcasts = fx.subscribe();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            fx.start(ApplyHooks.NONE, registry);

            fx.sendMarker("users", 0, 100, T0);
            broadcasts.await("a watermark", m -> m.watermark() != null, WAIT);
            assertTrue(fx.cached(CACHED));
            assertTrue(broadcasts.all().stream().noneMatch(EvictionMessage::flushAll), broadcasts.all().toString());
            assertEquals(0.0, fullInvalidations(registry, "rules-changed") + fullInvalidations(registry, "unknown"));
        }
    }

    @Test
    void afterMarkersUnderOtherRulesEverythingIsInvalidatedBeforeTheWatermarkMovesAgain() throws Exception {
        try (Fixture fx = new Fixture("foreign-markers")) {
            fx.createTopics(1, "users");
            Broadcasts broadcasts = fx.subscribe();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            Invalidator invalidator = fx.start(ApplyHooks.NONE, registry);
            fx.sendMarker("users", 0, 100, T0);
            broadcasts.await("the first watermark", m -> m.watermark() != null, WAIT);

            // The connector runs other rules for a while: it may not capture every table these rules read.
            long foreign = fx.sendMarker("users", 0, 200, T0.plusSeconds(2), "00000000deadbeef");
            await().atMost(WAIT).until(() -> fx.committed("users", 0) == foreign + 1);
            assertNull(fx.redis().get(fx.keySpace.rulesKey()), "nothing vouches for the key space any more");
            assertEquals(KeySpaceContinuity.State.SUSPENDED, invalidator.status().keySpace());
            fx.seed(CACHED); // filled meanwhile, possibly from a row whose change was never captured
            int seen = broadcasts.all().size();

            fx.sendMarker("users", 0, 300, T0.plusSeconds(3));
            Watermark resumed = new Watermark(300, T0.plusSeconds(3));
            EvictionMessage next = broadcasts.await("the resumed watermark", m -> resumed.equals(m.watermark()), WAIT);
            List<EvictionMessage> since = broadcasts.all().subList(seen, broadcasts.all().size());
            assertFlushBefore(since, next);
            assertTrue(since.subList(0, since.indexOf(next)).stream().allMatch(m -> m.watermark() == null
                    || !m.watermark().commitTime().isAfter(T0)), "no newer watermark while suspended: " + since);
            assertFalse(fx.cached(CACHED));
            assertEquals(fx.rules.fingerprint(), fx.redis().get(fx.keySpace.rulesKey()));
            assertEquals(1.0, fullInvalidations(registry, "unknown"));
        }
    }

    private static void assertFlushBefore(List<EvictionMessage> messages, EvictionMessage watermark) {
        int flush = -1;
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).flushAll()) {
                flush = i;
                break;
            }
        }
        assertTrue(flush >= 0 && flush < messages.indexOf(watermark),
                "a flush of every L1 precedes the watermark: " + messages);
    }

    private static double fullInvalidations(SimpleMeterRegistry registry, String reason) {
        return registry.get("commitcast.invalidator.full.invalidations").tag("reason", reason).counter().count();
    }
}
