package dev.commitcast.devstack.internal;

import dev.commitcast.devstack.DevStackException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;

/** Free loopback ports. A port handed out once is not handed out again by this JVM, so servers never collide. */
public final class Ports {
    public static final String LOOPBACK = "127.0.0.1";
    private static final Set<Integer> HANDED_OUT = new HashSet<>();
    private static final int ATTEMPTS = 20;

    private Ports() {
    }

    /** {@code fixed} when it is not 0, else a port that was free a moment ago. */
    public static int choose(int fixed) {
        return fixed != 0 ? fixed : free();
    }

    public static synchronized int free() {
        for (int i = 0; i < ATTEMPTS; i++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
                int port = socket.getLocalPort();
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new DevStackException("Could not find a free port on " + LOOPBACK + ": " + e, e);
            }
        }
        throw new DevStackException("Could not find an unused free port on " + LOOPBACK + " in " + ATTEMPTS + " tries");
    }

    /** True if something accepts TCP connections on the loopback port (within {@code timeoutMillis}). */
    public static boolean accepting(int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True if this process could bind the loopback port now, i.e. no server holds it. */
    public static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
