package dev.commitcast.testsupport;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Redis' {@code MONITOR} feed on its own connection: every command any client runs, in execution order, as the
 * server reports it. {@link #sync} makes the feed complete up to now (it waits for a unique {@code ECHO} sent on
 * another connection), so a test can compare exactly which commands ran in a window.
 */
public final class RedisMonitor implements AutoCloseable {

    /** One monitored command: who ran it ({@code 127.0.0.1:port}, or {@code lua} inside a script) and its words. */
    public record Command(String client, List<String> words) {
        public String name() {
            return words.getFirst().toUpperCase(Locale.ROOT);
        }
    }

    private final Socket socket;
    private final URI uri;
    private final List<Command> commands = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private RedisMonitor(URI uri) throws IOException {
        this.uri = uri;
        this.socket = new Socket(uri.getHost(), uri.getPort());
        OutputStream out = socket.getOutputStream();
        out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String ok = in.readLine();
        if (!"+OK".equals(ok)) {
            socket.close();
            throw new IOException("MONITOR on " + uri + " answered " + ok);
        }
        reader = Thread.ofPlatform().daemon().name("redis-monitor").start(() -> read(in));
    }

    /** Starts monitoring the Redis at {@code redis://host:port}. */
    public static RedisMonitor start(String redisUri) {
        try {
            return new RedisMonitor(URI.create(redisUri));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot MONITOR " + redisUri, e);
        }
    }

    private void read(BufferedReader in) {
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                Command command = parse(line);
                if (command != null) {
                    commands.add(command);
                }
            }
        } catch (IOException closed) {
            // close() ends the feed
        }
    }

    /** Waits until every command run before this call is in {@link #commands()}. */
    public void sync(Duration timeout) throws InterruptedException {
        String marker = "monitor-sync-" + UUID.randomUUID();
        RedisClient client = RedisClient.create(uri.toString());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().echo(marker);
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (commands.stream().noneMatch(c -> c.words().contains(marker))) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("MONITOR did not report ECHO " + marker + " within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    public List<Command> commands() {
        return List.copyOf(commands);
    }

    /** Forgets what was seen so far. */
    public void clear() {
        commands.clear();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        socket.close();
        reader.join(2_000);
    }

    /** {@code +1700000000.123456 [0 127.0.0.1:5432] "UNLINK" "a" "b"}; anything else (e.g. {@code +OK}) is null. */
    public static Command parse(String line) {
        int open = line.indexOf('[');
        int close = line.indexOf(']', open + 1);
        if (!line.startsWith("+") || open < 0 || close < 0) {
            return null;
        }
        String[] source = line.substring(open + 1, close).split(" ", 2);
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = close + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (word == null) {
                if (c == '"') {
                    word = new StringBuilder();
                }
            } else if (c == '\\' && i + 1 < line.length()) {
                char next = line.charAt(++i);
                switch (next) {
                    case 'n' -> word.append('\n');
                    case 'r' -> word.append('\r');
                    case 't' -> word.append('\t');
                    case 'x' -> {
                        word.append((char) Integer.parseInt(line.substring(i + 1, i + 3), 16));
                        i += 2;
                    }
                    default -> word.append(next);
                }
            } else if (c == '"') {
                words.add(word.toString());
                word = null;
            } else {
                word.append(c);
            }
        }
        return words.isEmpty() ? null : new Command(source.length > 1 ? source[1] : source[0], words);
    }
}
