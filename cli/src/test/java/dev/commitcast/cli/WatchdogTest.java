package dev.commitcast.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The watchdog's decisions, on stand-in processes and short durations; {@code WatchdogIT} runs it for real. */
class WatchdogTest {

    /** A process that is alive until {@link #crash}. */
    static final class Fake implements Watchdog.Restartable<Fake> {
        final String name;
        final Instant startedAt;
        volatile boolean alive = true;
        volatile int exitCode;
        final List<String> notes;

        Fake(String name, Instant startedAt, List<String> notes) {
            this.name = name;
            this.startedAt = startedAt;
            this.notes = notes;
        }

        void crash(int code) {
            exitCode = code;
            alive = false;
        }

        @Override public String name() { return name; }
        @Override public boolean isAlive() { return alive; }
        @Override public Optional<Integer> exitCode() { return alive ? Optional.empty() : Optional.of(exitCode); }
        @Override public Instant startedAt() { return startedAt; }
        @Override public Path log() { return Path.of(name + ".log"); }

        @Override
        public Fake restart(String note) {
            notes.add(note);
            return new Fake(name, Instant.now(), notes);
        }
    }

    private final List<String> events = new ArrayList<>();
    private final Watchdog.Listener<Fake> listener = new Watchdog.Listener<>() {
        @Override
        public void restarted(Fake service, int restarts, int exitCode) {
            events.add(service.name() + " restarted " + restarts + " after " + exitCode);
        }

        @Override
        public void gaveUp(Fake service, int fastFailures, int exitCode) {
            events.add(service.name() + " gave up after " + fastFailures);
        }
    };

    @Test
    void aCrashedServiceIsRestartedAfterTheBackoffInItsPlace() throws Exception {
        List<String> notes = new ArrayList<>();
        Fake invalidator = new Fake("invalidator", Instant.now().minusSeconds(3600), notes);
        Fake api = new Fake("api-service-1", Instant.now(), notes);
        List<Fake> services = new CopyOnWriteArrayList<>(List.of(invalidator, api));
        Watchdog<Fake> watchdog = new Watchdog<>(services, new Watchdog.Policy(Duration.ofMillis(200),
                Duration.ofSeconds(1), Duration.ofSeconds(60), 5, Duration.ofMillis(10)), listener);

        invalidator.crash(137);
        watchdog.checkOnce();
        assertSame(invalidator, services.get(0), "not before the back-off");
        Thread.sleep(250);
        watchdog.checkOnce();
        assertNotSame(invalidator, services.get(0));
        assertTrue(services.get(0).isAlive());
        assertSame(api, services.get(1), "the running one is left alone");
        assertEquals(List.of("invalidator restarted 1 after 137"), events);
        assertTrue(notes.getFirst().contains("after exit code 137 (restart 1)"), notes.toString());
    }

    @Test
    void aCrashLoopIsGivenUpOnAfterTheFastFailuresWithGrowingBackoff() throws Exception {
        List<String> notes = new ArrayList<>();
        List<Fake> services = new CopyOnWriteArrayList<>(List.of(new Fake("cdc-connector", Instant.now(), notes)));
        Watchdog<Fake> watchdog = new Watchdog<>(services, new Watchdog.Policy(Duration.ofMillis(1),
                Duration.ofMillis(4), Duration.ofSeconds(60), 3, Duration.ofMillis(1)), listener);
        for (int run = 0; run < 3; run++) {
            services.getFirst().crash(1);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            Fake crashed = services.getFirst();
            while (services.getFirst() == crashed && !events.toString().contains("gave up")
                    && System.nanoTime() < deadline) {
                watchdog.checkOnce();
                Thread.sleep(1);
            }
        }
        assertEquals(List.of("cdc-connector restarted 1 after 1", "cdc-connector restarted 2 after 1",
                "cdc-connector gave up after 3"), events);
        assertFalse(services.getFirst().isAlive(), "left dead");
        watchdog.checkOnce();
        assertEquals(3, events.size(), "nothing more once given up");
    }

    @Test
    void aClosedWatchdogRestartsNothing() {
        List<Fake> services = new CopyOnWriteArrayList<>(List.of(new Fake("invalidator", Instant.now(), new ArrayList<>())));
        Watchdog<Fake> watchdog = new Watchdog<>(services, new Watchdog.Policy(Duration.ZERO, Duration.ZERO,
                Duration.ofSeconds(60), 5, Duration.ofMillis(1)), listener);
        watchdog.close();
        services.getFirst().crash(143);
        watchdog.checkOnce();
        assertEquals(List.of(), events, "a stop is not a crash");
    }
}
