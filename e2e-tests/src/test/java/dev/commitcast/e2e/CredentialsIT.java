package dev.commitcast.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.commitcast.cli.ServiceProcess;
import dev.commitcast.cli.rules.Grants;
import dev.commitcast.core.Rules;
import dev.commitcast.devstack.DevStack;
import dev.commitcast.devstack.DevStackOptions;
import dev.commitcast.devstack.PostgresEndpoint;
import dev.commitcast.devstack.ServerKind;
import dev.commitcast.schema.DemoDataGenerator;
import dev.commitcast.schema.Migrations;
import dev.commitcast.testsupport.Repo;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10.6: the whole platform with its own least-privilege identities — the Postgres roles and Redis ACL users
 * {@code ./commitcast rules grants} prints, passwords given as files (and one as an environment variable), Redis'
 * default user switched off — streams, invalidates and serves; and no password appears in any log, {@code /health},
 * {@code status} output or exception message, also when a password is wrong.
 */
class CredentialsIT {
    private static final Path ROOT = Platform.ROOT;
    private static final Path LOGS = ROOT.resolve("e2e-tests").resolve("target").resolve("e2e-logs");
    private static final Duration START = Duration.ofSeconds(90);
    private static final Map<String, String> SECRETS = new HashMap<>();

    private static DevStack stack;
    private static Path secretsDir;
    private static String database;
    private static String suffix;
    private static RedisClient adminClient;
    private static StatefulRedisConnection<String, String> admin;
    private static final List<ServiceProcess> processes = new ArrayList<>();
    private static ServiceProcess cdc;
    private static ServiceProcess invalidator;
    private static ServiceProcess api;

    @BeforeAll
    static void start() throws Exception {
        stack = DevStack.start(DevStackOptions.builder().servers(ServerKind.POSTGRES, ServerKind.REDIS).build());
        suffix = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        for (String name : List.of("cdc-pg", "api-pg", "api-redis", "invalidator-redis", "admin-redis")) {
            SECRETS.put(name, "Sekret-" + name + "-" + HexFormat.of().formatHex(randomBytes()));
        }
        secretsDir = Files.createTempDirectory("e2e-secrets", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        for (Map.Entry<String, String> secret : SECRETS.entrySet()) {
            Files.writeString(secretsDir.resolve(secret.getKey()), secret.getValue() + "\n");
        }

        PostgresEndpoint pg = stack.postgres();
        database = pg.createDatabase("creds");
        Migrations.apply(pg.jdbcUrl(database), pg.user(), pg.password());
        try (Connection c = pg.connect(database)) {
            DemoDataGenerator.load(c, Platform.DATA, false);
        }
        Rules rules = Rules.load(Repo.demoRulesFile());
        Grants grants = new Grants(rules, "cc_cdc", "cc_api", "commitcast_pub", "cc-api", "cc-invalidator");
        PostgresEndpoint superuser = stack.postgresSuperuser().orElseThrow();
        try (Connection c = superuser.connect(database); Statement s = c.createStatement()) {
            for (String statement : sqlStatements(grants.postgres())) {
                s.execute(statement);
            }
            s.execute("alter role cc_cdc password '" + SECRETS.get("cdc-pg") + "'");
            s.execute("alter role cc_api password '" + SECRETS.get("api-pg") + "'");
        }

        adminClient = RedisClient.create(RedisURI.create(stack.redis().uri()));
        admin = adminClient.connect();
        for (String line : grants.redis().lines().filter(l -> l.startsWith("ACL ")).toList()) {
            acl(line.substring("ACL ".length()).split(" "));
        }
        acl("SETUSER", "cc-api", ">" + SECRETS.get("api-redis"));
        acl("SETUSER", "cc-invalidator", ">" + SECRETS.get("invalidator-redis"));
        acl("SETUSER", "cc-admin", "on", ">" + SECRETS.get("admin-redis"), "~*", "&*", "+@all");
        admin.close();
        adminClient.shutdown();
        adminClient = RedisClient.create(RedisURI.builder(RedisURI.create(stack.redis().uri()))
                .withAuthentication("cc-admin", SECRETS.get("admin-redis").toCharArray()).build());
        admin = adminClient.connect();
        acl("SETUSER", "default", "off");

        String topicPrefix = "e2e-creds-" + suffix;
        cdc = start("cdc-connector", "dev.commitcast.cdc.Application", Map.of(
                "COMMITCAST_PG_JDBC_URL", pg.jdbcUrl(database),
                "COMMITCAST_PG_USER", "cc_cdc",
                "COMMITCAST_PG_PASSWORD_FILE", secretsDir.resolve("cdc-pg").toString(),
                "COMMITCAST_KAFKA_BOOTSTRAP", DevStack.shared().kafka().bootstrapServers(),
                "COMMITCAST_CDC_TOPIC_PREFIX", topicPrefix,
                "COMMITCAST_CDC_SLOT", "e2e_creds_" + suffix,
                "COMMITCAST_CDC_DATA_DIR", Files.createTempDirectory("e2e-creds-cdc").toString()), List.of());
        invalidator = start("invalidator", "dev.commitcast.invalidator.Application", Map.of(
                "COMMITCAST_KAFKA_BOOTSTRAP", DevStack.shared().kafka().bootstrapServers(),
                "COMMITCAST_REDIS_URL", stack.redis().uri(),
                "COMMITCAST_REDIS_USER", "cc-invalidator",
                "COMMITCAST_REDIS_PASSWORD_FILE", secretsDir.resolve("invalidator-redis").toString()),
                List.of("-Dcommitcast.invalidator.topic-prefix=" + topicPrefix,
                        "-Dcommitcast.invalidator.group-id=e2e-creds-" + suffix));
        api = start("api-service", "dev.commitcast.api.Application", Map.of(
                "COMMITCAST_PG_JDBC_URL", pg.jdbcUrl(database),
                "COMMITCAST_PG_USER", "cc_api",
                "COMMITCAST_PG_PASSWORD_FILE", secretsDir.resolve("api-pg").toString(),
                "COMMITCAST_FLYWAY_ENABLED", "false",
                "COMMITCAST_REDIS_URL", stack.redis().uri(),
                "COMMITCAST_REDIS_USER", "cc-api",
                // the environment variable itself, the other way to give a secret
                "COMMITCAST_REDIS_PASSWORD", SECRETS.get("api-redis")), List.of(
                "-Dcommitcast.rules=" + EndToEndIT.LONG_TTLS.get("commitcast.rules"),
                "-Dcommitcast.cache.l1.max-ttl=10m"));
    }

    @AfterAll
    static void stop() throws Exception {
        processes.forEach(ServiceProcess::stop);
        if (admin != null) {
            admin.close();
            adminClient.shutdown();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void thePipelineRunsWithLeastPrivilegeAndNoSecretIsEverShown() throws Exception {
        long user = Platform.DATA.userId(2, 3);
        String path = "/v1/orgs/2/users/" + user;
        Api client = new Api("creds-api", api.baseUrl());
        Wait.until("the API caches " + path, Duration.ofSeconds(30), () -> client.get(path),
                r -> "L1".equals(r.cache()));
        try (Connection c = stack.postgres().connect(database); Statement s = c.createStatement()) {
            s.execute("update users set display_name = 'Least Privilege' where id = " + user);
        }
        Api.Reply fresh = Wait.until("the API serves the update from trusted caches", Duration.ofSeconds(30),
                () -> client.get(path), r -> r.trusted() && r.body().contains("Least Privilege"));
        assertFalse("L1".equals(fresh.cache()), "the old L1 entry was evicted: " + fresh);
        Wait.until("the API fills L2 again (its ACL user may lease and fill)", Duration.ofSeconds(10), () -> {
            Api.Reply reply = client.get(path);
            return reply.cache() + " " + admin.sync().keys("*");
        }, seen -> seen.contains(":user:" + user));

        List<String> shown = new ArrayList<>();
        for (ServiceProcess process : List.of(cdc, invalidator, api)) {
            shown.add(get(process.baseUrl().resolve("/health")));
        }
        shown.add(get(api.baseUrl().resolve("/health/readiness")));
        shown.add(status());
        for (ServiceProcess process : List.of(cdc, invalidator, api)) {
            String log = Files.readString(process.log());
            assertFalse(log.contains("NOPERM"), process.name() + " lacks a permission the grants should give:\n"
                    + log.lines().filter(l -> l.contains("NOPERM")).limit(5).toList());
            shown.add(log);
        }
        assertNoSecretIn(shown);
        assertTrue(shown.get(1).contains("cc-invalidator") && shown.get(1).contains("(password set)"),
                "the invalidator's /health says as whom it connects: " + shown.get(1));
    }

    @Test
    void wrongPasswordsFailWithMessagesThatShowNeither() throws Exception {
        Path wrong = Files.writeString(secretsDir.resolve("wrong"), "Sekret-wrong-" + suffix);
        SECRETS.put("wrong", "Sekret-wrong-" + suffix);
        ServiceProcess badInvalidator = ServiceProcess.start(ROOT, "invalidator", "creds-bad-invalidator",
                "dev.commitcast.invalidator.Application", freePort(), Map.of(
                        "COMMITCAST_KAFKA_BOOTSTRAP", DevStack.shared().kafka().bootstrapServers(),
                        "COMMITCAST_REDIS_URL", stack.redis().uri(),
                        "COMMITCAST_REDIS_USER", "cc-invalidator",
                        "COMMITCAST_REDIS_PASSWORD_FILE", wrong.toString(),
                        "COMMITCAST_RULES", Repo.demoRulesFile().toString()),
                List.of("-Xmx256m", "-Dcommitcast.invalidator.topic-prefix=e2e-creds-bad-" + suffix,
                        "-Dcommitcast.invalidator.group-id=e2e-creds-bad-" + suffix), LOGS);
        ServiceProcess badCdc = ServiceProcess.start(ROOT, "cdc-connector", "creds-bad-cdc",
                "dev.commitcast.cdc.Application", freePort(), Map.of(
                        "COMMITCAST_PG_JDBC_URL", stack.postgres().jdbcUrl(database),
                        "COMMITCAST_PG_USER", "cc_cdc",
                        "COMMITCAST_PG_PASSWORD_FILE", wrong.toString(),
                        "COMMITCAST_KAFKA_BOOTSTRAP", DevStack.shared().kafka().bootstrapServers(),
                        "COMMITCAST_CDC_SLOT", "e2e_creds_bad_" + suffix,
                        "COMMITCAST_RULES", Repo.demoRulesFile().toString()),
                List.of("-Xmx256m", "-Dcommitcast.cdc.startup-timeout=3s"), LOGS);
        try {
            Wait.until("the invalidator refuses to run without Redis", Duration.ofSeconds(60),
                    () -> logOf(badInvalidator), log -> log.contains("WRONGPASS") || log.contains("invalid username"));
            Wait.until("the connector gives up on Postgres", Duration.ofSeconds(60), () -> logOf(badCdc),
                    log -> log.contains("password authentication failed"));
            assertNoSecretIn(List.of(logOf(badInvalidator), logOf(badCdc)));
        } finally {
            badInvalidator.kill();
            badCdc.kill();
        }
    }

    private static String logOf(ServiceProcess process) {
        try {
            return Files.readString(process.log());
        } catch (IOException e) {
            return "";
        }
    }

    private static void assertNoSecretIn(List<String> texts) {
        for (String text : texts) {
            for (Map.Entry<String, String> secret : SECRETS.entrySet()) {
                assertFalse(text.contains(secret.getValue()), "the " + secret.getKey() + " password is shown in:\n"
                        + text.lines().filter(l -> l.contains(secret.getValue())).limit(3).toList());
            }
        }
    }

    private static ServiceProcess start(String module, String mainClass, Map<String, String> env, List<String> jvm)
            throws IOException, InterruptedException {
        Map<String, String> environment = new HashMap<>(env);
        environment.put("COMMITCAST_RULES", Repo.demoRulesFile().toString());
        List<String> jvmArgs = new ArrayList<>(List.of("-Xmx256m"));
        jvmArgs.addAll(jvm);
        ServiceProcess process = ServiceProcess.start(ROOT, module, "creds-" + module, mainClass, freePort(),
                environment, jvmArgs, LOGS);
        processes.add(process);
        process.awaitHealthy(START);
        return process;
    }

    /** {@code ./commitcast status} against these services, its Redis credentials from the environment. */
    private static String status() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("commitcast").toString(), "status",
                "--api", api.baseUrl().toString(), "--invalidator", invalidator.baseUrl().toString(),
                "--cdc", cdc.baseUrl().toString(), "--redis", stack.redis().uri())
                .directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("COMMITCAST_"));
        builder.environment().putAll(Map.of(
                "COMMITCAST_REDIS_USER", "cc-admin",
                "COMMITCAST_REDIS_PASSWORD_FILE", secretsDir.resolve("admin-redis").toString(),
                "COMMITCAST_RULES", Repo.demoRulesFile().toString(),
                "COMMITCAST_SKIP_BUILD", "1"));
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out.contains("watermark"), out);
        return out;
    }

    private static String get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private static void acl(String... args) {
        CommandArgs<String, String> commandArgs = new CommandArgs<>(StringCodec.UTF8);
        for (String arg : args) {
            commandArgs.add(arg);
        }
        String reply = admin.sync().dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), commandArgs);
        assertEquals("OK", reply, String.join(" ", args));
    }

    private static List<String> sqlStatements(String script) {
        StringBuilder sql = new StringBuilder();
        script.lines().filter(l -> !l.startsWith("--")).forEach(l -> sql.append(l).append('\n'));
        return java.util.Arrays.stream(sql.toString().split(";")).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
