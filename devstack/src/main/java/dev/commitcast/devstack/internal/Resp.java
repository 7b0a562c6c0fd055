package dev.commitcast.devstack.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Just enough RESP2 to send a command and read a one-line reply; no client library needed for readiness. */
public final class Resp {
    private Resp() {
    }

    /** Sends {@code args} as one command on a fresh connection and returns the first reply line (e.g. "+PONG"). */
    public static String call(String host, int port, int timeoutMillis, List<String> args) throws IOException {
        return exchange(host, port, timeoutMillis, args, Resp::readLine);
    }

    /** What to read of a reply. */
    private interface Reader {
        String read(InputStream in) throws IOException;
    }

    /** Sends one command on a fresh connection and reads its reply with {@code reader}. */
    private static String exchange(String host, int port, int timeoutMillis, List<String> args, Reader reader)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write(encode(args));
            out.flush();
            return reader.read(socket.getInputStream());
        }
    }

    /**
     * Sends {@code args} as one command on a fresh connection and returns the reply as text: a bulk string's
     * content, or the status/integer line without its type byte.
     *
     * @throws IOException on an error reply (its text is the message), a null reply or a connection problem
     */
    public static String text(String host, int port, int timeoutMillis, List<String> args) throws IOException {
        return exchange(host, port, timeoutMillis, args, in -> {
            String line = readLine(in);
            if (line.startsWith("-")) {
                throw new IOException(line.substring(1));
            }
            if (!line.startsWith("$")) {
                return line.substring(1);
            }
            int length = Integer.parseInt(line.substring(1));
            if (length < 0) {
                throw new IOException("null reply to " + args);
            }
            byte[] content = in.readNBytes(length + 2);
            return new String(content, 0, length, StandardCharsets.UTF_8);
        });
    }

    public static byte[] encode(List<String> args) {
        StringBuilder sb = new StringBuilder().append('*').append(args.size()).append("\r\n");
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before a full reply line; got '" + line + "'");
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
    }
}
