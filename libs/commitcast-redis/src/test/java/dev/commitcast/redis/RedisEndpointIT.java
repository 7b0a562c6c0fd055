package dev.commitcast.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://} with a CA file and an ACL user, against a real redis-server serving TLS only (certificates made
 * with openssl for the test): the endpoint trusts exactly the CA it is given and authenticates as its user.
 */
class RedisEndpointIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String PASSWORD = "Sekret-tls-" + Long.toHexString(System.nanoTime());

    @TempDir
    static Path dir;
    private static Process redis;
    private static int port;

    @BeforeAll
    static void startTlsRedis() throws Exception {
        assumeTrue(run("openssl", "version") == 0, "openssl is needed to make the test certificates");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=commitcast-test-ca",
                "-keyout", dir.resolve("ca.key").toString(), "-out", dir.resolve("ca.pem").toString());
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                "-keyout", dir.resolve("server.key").toString(), "-out", dir.resolve("server.csr").toString());
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        run("openssl", "x509", "-req", "-in", dir.resolve("server.csr").toString(), "-CA", dir.resolve("ca.pem")
                .toString(), "-CAkey", dir.resolve("ca.key").toString(), "-CAcreateserial", "-days", "1",
                "-extfile", dir.resolve("san.ext").toString(), "-out", dir.resolve("server.pem").toString());
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=another-ca",
                "-keyout", dir.resolve("other.key").toString(), "-out", dir.resolve("other.pem").toString());
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.writeString(dir.resolve("users.acl"), "user app on >" + PASSWORD + " ~* &* +@all\nuser default off\n");
        redis = new ProcessBuilder("redis-server", "--port", "0", "--tls-port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--tls-cert-file", dir.resolve("server.pem").toString(),
                "--tls-key-file", dir.resolve("server.key").toString(),
                "--tls-ca-cert-file", dir.resolve("ca.pem").toString(), "--tls-auth-clients", "no",
                "--aclfile", dir.resolve("users.acl").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException e) {
                if (!redis.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis-server with TLS did not start: "
                            + Files.readString(dir.resolve("redis.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void connectsOverTlsTrustingTheGivenCaAsTheAclUser() {
        RedisEndpoint endpoint = new RedisEndpoint("rediss://127.0.0.1:" + port, Optional.of("app"),
                Optional.of(PASSWORD), Optional.of(dir.resolve("ca.pem"))).validate("commitcast.redis");
        assertEquals("PONG", ping(endpoint));
        assertFalse(endpoint.describe().contains(PASSWORD), endpoint.describe());
        assertTrue(endpoint.describe().contains("as app (password set)"), endpoint.describe());
    }

    @Test
    void aServerSignedByAnotherCaIsRefused() {
        RedisEndpoint endpoint = new RedisEndpoint("rediss://127.0.0.1:" + port, Optional.of("app"),
                Optional.of(PASSWORD), Optional.of(dir.resolve("other.pem")));
        RedisConnectionException e = assertThrows(RedisConnectionException.class, () -> ping(endpoint));
        assertFalse(String.valueOf(e.getMessage()).contains(PASSWORD));
    }

    @Test
    void aWrongPasswordIsRefusedWithoutShowingIt() {
        RedisEndpoint endpoint = new RedisEndpoint("rediss://127.0.0.1:" + port, Optional.of("app"),
                Optional.of("Sekret-wrong"), Optional.of(dir.resolve("ca.pem")));
        RuntimeException e = assertThrows(RuntimeException.class, () -> ping(endpoint));
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains("Sekret-wrong"), t.toString());
        }
    }

    private static String ping(RedisEndpoint endpoint) {
        RedisClient client = RedisClient.create(endpoint.redisUri(TIMEOUT));
        client.setOptions(endpoint.withTls(ClientOptions.builder()).build());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().ping();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(command));
        Process process;
        try {
            process = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            return -1;
        }
        int exit = process.waitFor();
        if (exit != 0 && !"version".equals(command[command.length - 1])) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + exit);
        }
        return exit;
    }
}
