package dev.commitcast.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StackStateTest {
    @Test
    void writesAndReadsBackAtomically(@TempDir Path home) {
        assertTrue(StackState.read(home).isEmpty());
        new StackState(Map.of(StackState.PID, "42", "COMMITCAST_PG_URL", "postgresql://u:p@h:1/db")).write(home);
        StackState state = StackState.read(home).orElseThrow();
        assertEquals(42, state.pid());
        assertEquals("postgresql://u:p@h:1/db", state.get("COMMITCAST_PG_URL"));
        StackState.delete(home);
        assertTrue(StackState.read(home).isEmpty());
    }

    @Test
    void aDeadSupervisorIsNotAlive() {
        assertFalse(new StackState(Map.of(StackState.PID, String.valueOf(Long.MAX_VALUE))).supervisorAlive());
        assertTrue(new StackState(Map.of(StackState.PID, String.valueOf(ProcessHandle.current().pid())))
                .supervisorAlive());
    }

    @Test
    void shellQuotingSurvivesQuotes() {
        assertEquals("'it'\"'\"'s'", EnvCommand.shellQuote("it's"));
        assertEquals("'plain'", EnvCommand.shellQuote("plain"));
    }

    @Test
    void processRecordsRoundTripAndRejectAReusedPid() {
        ProcessRecord self = ProcessRecord.of(ProcessHandle.current());
        List<ProcessRecord> parsed = ProcessRecord.parse(ProcessRecord.format(List.of(self)));
        assertEquals(List.of(self), parsed);
        assertTrue(parsed.getFirst().live().isPresent());
        assertFalse(new ProcessRecord(self.pid(), self.startMillis() + 1).live().isPresent(),
                "same pid, other start time: another process");
    }
}
