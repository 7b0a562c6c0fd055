package dev.commitcast.devstack.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespTest {

    @Test
    void encodesCommandsAsArraysOfBulkStrings() {
        // "év" is three bytes in UTF-8: lengths count bytes, not chars.
        assertEquals("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\név\r\n",
                new String(Resp.encode(List.of("SET", "k", "év")), StandardCharsets.UTF_8));
    }

    @Test
    void readsOneReplyLine() throws IOException {
        assertEquals("+PONG", Resp.readLine(new ByteArrayInputStream("+PONG\r\n$1\r\n".getBytes(StandardCharsets.UTF_8))));
    }
}
