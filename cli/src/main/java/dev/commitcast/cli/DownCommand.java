package dev.commitcast.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops a detached platform: asks the supervisor to shut down (SIGTERM, which runs its shutdown hooks and stops
 * every service and server), waits for it, then makes sure no process it had started is left.
 */
@Command(name = "down", description = "Stop a detached platform; leaves no process behind.")
final class DownCommand implements Callable<Integer> {
    // The first down after a build also writes the start-up class caches: ~45 s on two cores (ADR-0016).
    @Option(names = "--timeout", defaultValue = "PT3M", description = "How long to wait for a clean stop (ISO-8601, "
            + "default ${DEFAULT-VALUE}; the first down after a build writes the start-up class caches).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        Optional<StackState> found = StackState.read(CommitcastCli.home());
        if (found.isEmpty()) {
            System.out.println("no platform is running under " + CommitcastCli.home());
            return 0;
        }
        StackState state = found.get();
        List<ProcessRecord> children = ProcessRecord.parse(state.get(StackState.CHILDREN));
        Optional<ProcessHandle> supervisor = ProcessHandle.of(state.pid());
        if (supervisor.isPresent() && supervisor.get().isAlive()) {
            supervisor.get().destroy();
            try {
                supervisor.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                System.err.println("supervisor " + state.pid() + " did not stop within " + timeout + "; killing it");
                supervisor.get().destroyForcibly();
            }
        }
        int killed = 0;
        for (ProcessRecord child : children) {
            Optional<ProcessHandle> live = child.live();
            if (live.isPresent()) {
                live.get().destroyForcibly();
                killed++;
            }
        }
        StackState.delete(CommitcastCli.home());
        System.out.println(killed == 0 ? "stopped" : "stopped (killed " + killed + " leftover processes)");
        return 0;
    }
}
