package dev.commitcast.testsupport;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RedisMonitorTest {

    @Test
    void parsesClientAndWordsWithEscapes() {
        RedisMonitor.Command command = RedisMonitor.parse(
                "+1700000000.123456 [0 127.0.0.1:54321] \"UNLINK\" \"cc:v1:org:{7}:user:9\" \"a \\\"b\\\" \\\\c\\x41\"");
        assertEquals("127.0.0.1:54321", command.client());
        assertEquals(List.of("UNLINK", "cc:v1:org:{7}:user:9", "a \"b\" \\cA"), command.words());
        assertEquals("UNLINK", command.name());
    }

    @Test
    void scriptsAreReportedAsLua() {
        assertEquals("lua", RedisMonitor.parse("+1700000000.1 [0 lua] \"del\" \"k:lease\"").client());
        assertEquals("DEL", RedisMonitor.parse("+1700000000.1 [0 lua] \"del\" \"k:lease\"").name());
    }

    @Test
    void otherRepliesAreNotCommands() {
        assertNull(RedisMonitor.parse("+OK"));
        assertNull(RedisMonitor.parse("-ERR something"));
    }
}
