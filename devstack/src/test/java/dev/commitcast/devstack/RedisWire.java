package dev.commitcast.devstack;

import dev.commitcast.devstack.internal.Resp;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A raw-socket RESP client for tests: simple strings, errors, integers and bulk strings. */
final class RedisWire implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 2000;
    private final Socket socket;
    private final InputStream in;

    RedisWire(RedisEndpoint redis) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(redis.host(), redis.port()), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        in = new BufferedInputStream(socket.getInputStream());
    }

    /** The reply: "+OK" style lines as they are, bulk strings as their content, null for a nil bulk. */
    String call(String... args) throws IOException {
        socket.getOutputStream().write(Resp.encode(List.of(args)));
        socket.getOutputStream().flush();
        String line = Resp.readLine(in);
        if (!line.startsWith("$")) {
            return line;
        }
        int length = Integer.parseInt(line.substring(1));
        if (length < 0) {
            return null;
        }
        byte[] data = in.readNBytes(length + 2);
        return new String(data, 0, length, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
