package dev.commitcast.client;

import dev.commitcast.testsupport.DemoKeys;
import dev.commitcast.core.CacheKey;
import dev.commitcast.core.Namespace;
import dev.commitcast.testsupport.Repo;
import java.time.Duration;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The L1 fill fence: a load marked stale, or one older than a flush, never lands in the cache. */
class L1CacheTest {

    private static final L1Cache.Entry VALUE = new L1Cache.Entry("{}", L1Cache.ENTRY_OVERHEAD + 2);

    private final L1Cache l1 = new L1Cache(1 << 20, Repo.demoRules(), Duration.ofSeconds(60));
    private final SingleFlight flights = new SingleFlight();

    @Test
    void aCurrentLoadIsFilled() {
        SingleFlight.Flight flight = begin(DemoKeys.user(1, 1));
        assertTrue(l1.fill(flight, VALUE));
        assertNotNull(l1.get(DemoKeys.user(1, 1)));
    }

    @Test
    void aLoadMarkedStaleByAKeyEvictionIsNotFilled() {
        CacheKey key = DemoKeys.user(1, 2);
        SingleFlight.Flight flight = begin(key);
        flights.markStale(key);
        assertFalse(l1.fill(flight, VALUE));
        assertNull(l1.get(key));
    }

    @Test
    void aLoadMarkedStaleByANamespaceIsNotFilled() {
        CacheKey inside = DemoKeys.roles(7);
        CacheKey outside = DemoKeys.roles(8);
        SingleFlight.Flight stale = begin(inside);
        SingleFlight.Flight current = begin(outside);
        flights.markStale(DemoKeys.org(7));
        assertFalse(l1.fill(stale, VALUE));
        assertTrue(l1.fill(current, VALUE));
    }

    @Test
    void aLoadThatBeganBeforeAFlushIsNotFilled() {
        CacheKey key = DemoKeys.settings(3);
        SingleFlight.Flight before = begin(key);
        l1.flush();
        assertFalse(l1.fill(before, VALUE));
        flights.finish(before);
        assertTrue(l1.fill(begin(key), VALUE), "a load that began after the flush fills");
    }

    @Test
    void joiningALoadInFlightDoesNotStartAnother() {
        CacheKey key = DemoKeys.user(2, 5);
        SingleFlight.Ticket leader = flights.begin(key, l1.epoch());
        SingleFlight.Ticket joiner = flights.begin(key, l1.epoch());
        assertTrue(leader.leader());
        assertFalse(joiner.leader());
        assertTrue(leader.flight() == joiner.flight());
        flights.finish(leader.flight());
        assertTrue(flights.begin(key, l1.epoch()).leader());
    }

    private SingleFlight.Flight begin(CacheKey key) {
        return flights.begin(key, l1.epoch()).flight();
    }

    @Test
    void aReadThatBeginsAfterAnEvictionDoesNotJoinALoadThatBeganBeforeIt() {
        CacheKey key = DemoKeys.user(3, 3);
        SingleFlight.Ticket before = flights.begin(key, l1.epoch());
        flights.markStale(key);
        SingleFlight.Ticket after = flights.begin(key, l1.epoch());

        assertTrue(after.leader(), "the later read leads a fresh load");
        assertTrue(after.flight() != before.flight());
        flights.finish(before.flight());
        assertTrue(l1.fill(after.flight(), VALUE), "finishing the stale load leaves the fresh one in place");
    }
}
