package dev.commitcast.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A child that outlives the stop grace is killed together with what it started, so that nothing is left behind. */
class ChildProcessesIT {

    @Test
    void aChildThatIgnoresSigtermIsKilledWithItsDescendants() throws Exception {
        // ignores SIGTERM, and so does the sleep it starts (an ignored signal stays ignored across exec)
        Process child = new ProcessBuilder("sh", "-c", "trap '' TERM; sleep 600 & echo started; wait").start();
        assertEquals("started", new String(child.getInputStream().readNBytes("started".length())));
        List<ProcessHandle> descendants = child.descendants().toList();
        assertFalse(descendants.isEmpty(), "the child started a sleep");

        try {
            ChildProcesses.stop(child, Duration.ofMillis(300));

            assertFalse(child.isAlive(), "killed after the grace");
            for (ProcessHandle descendant : descendants) {
                descendant.onExit().completeOnTimeout(descendant, 5, TimeUnit.SECONDS).get();
                assertFalse(descendant.isAlive(), "what the child started is gone too: " + descendant.pid());
            }
        } finally {
            descendants.forEach(ProcessHandle::destroyForcibly); // a failed run leaves no sleep behind
            child.destroyForcibly();
        }
    }
}
