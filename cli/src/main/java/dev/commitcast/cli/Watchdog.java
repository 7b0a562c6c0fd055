package dev.commitcast.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the services of {@code up} running: a service whose process exits is started again after a back-off that
 * doubles from {@link Policy#initialBackoff()} up to {@link Policy#maxBackoff()}; a run that lasted
 * {@link Policy#healthyRun()} resets it. After {@link Policy#maxFastFailures()} runs in a row that each ended
 * sooner than that, it gives up on the service (a crash loop: a bad configuration, a port taken) and says so.
 * Restarted processes replace the dead ones in the shared list, so stopping the platform stops them.
 *
 * <p>Runs on its own daemon thread, polling every {@link Policy#pollInterval()}; {@link #close()} stops it before
 * the services are stopped, so a deliberate stop is never taken for a crash.
 */
final class Watchdog<T extends Watchdog.Restartable<T>> implements AutoCloseable {

    /** A supervised process; {@link ServiceProcess} in production. */
    interface Restartable<T> {
        String name();

        boolean isAlive();

        java.util.Optional<Integer> exitCode();

        Instant startedAt();

        java.nio.file.Path log();

        /** Starts it again; returns the new process. */
        T restart(String note);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

    /** How eagerly services are restarted. */
    record Policy(Duration initialBackoff, Duration maxBackoff, Duration healthyRun, int maxFastFailures,
                  Duration pollInterval) {
        /** 1 s doubling to 30 s; a run of 60 s is healthy; 5 fast failures in a row give up; polled every 250 ms. */
        static final Policy DEFAULT = new Policy(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(60),
                5, Duration.ofMillis(250));
    }

    /** Told of restarts and give-ups; called on the watchdog's thread. */
    interface Listener<T> {
        void restarted(T service, int restarts, int exitCode);

        void gaveUp(T service, int fastFailures, int exitCode);
    }

    private static final class Tracked {
        int restarts;
        int fastFailures;
        Duration backoff;
        Instant restartAt;
        boolean gaveUp;
    }

    private final List<T> services;
    private final Policy policy;
    private final Listener<T> listener;
    private final Map<String, Tracked> tracked = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    /** @param services the live list of services; restarted ones are set in place of the dead ones */
    Watchdog(List<T> services, Policy policy, Listener<T> listener) {
        this.services = services;
        this.policy = policy;
        this.listener = listener;
        this.thread = Thread.ofPlatform().daemon().name("commitcast-watchdog").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (!closed) {
            try {
                checkOnce();
                Thread.sleep(policy.pollInterval().toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("watchdog check failed; checking again", e);
            }
        }
    }

    /** One pass over every service; package-private for tests. */
    synchronized void checkOnce() {
        for (int i = 0; i < services.size() && !closed; i++) {
            T service = services.get(i);
            Tracked t = tracked.computeIfAbsent(service.name(), name -> new Tracked());
            if (t.gaveUp || service.isAlive()) {
                continue;
            }
            int exitCode = service.exitCode().orElse(-1);
            Instant now = Instant.now();
            if (t.restartAt == null) {
                boolean fast = Duration.between(service.startedAt(), now).compareTo(policy.healthyRun()) < 0;
                t.fastFailures = fast ? t.fastFailures + 1 : 0;
                t.backoff = !fast || t.backoff == null ? policy.initialBackoff()
                        : min(t.backoff.multipliedBy(2), policy.maxBackoff());
                if (t.fastFailures >= policy.maxFastFailures()) {
                    t.gaveUp = true;
                    LOG.error("{} exited with code {} {} times in a row within {} s of starting; not restarting it "
                            + "again. Its log: {}", service.name(), exitCode, t.fastFailures,
                            policy.healthyRun().toSeconds(), service.log());
                    listener.gaveUp(service, t.fastFailures, exitCode);
                    continue;
                }
                t.restartAt = now.plus(t.backoff);
                LOG.warn("{} exited with code {}; restarting it in {} ms (log {})", service.name(), exitCode,
                        t.backoff.toMillis(), service.log());
            }
            if (now.isBefore(t.restartAt)) {
                continue;
            }
            t.restartAt = null;
            t.restarts++;
            T next = service.restart("restarted by commitcast up at " + now + " after exit code "
                    + exitCode + " (restart " + t.restarts + ")");
            services.set(i, next);
            listener.restarted(next, t.restarts, exitCode);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Stops watching; returns once no restart is under way. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        synchronized (this) {
            // a pass in progress has finished; none starts again
        }
    }
}
