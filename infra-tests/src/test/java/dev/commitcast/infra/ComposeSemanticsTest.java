package dev.commitcast.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commitcast.infra.support.ComposeFile;
import dev.commitcast.infra.support.ComposeFile.PublishedPort;
import dev.commitcast.infra.support.Interpolation;
import dev.commitcast.infra.support.Repo;
import dev.commitcast.infra.support.YamlFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/**
 * What the schema cannot see in infra/compose/docker-compose.yml: references between services, ports, the Postgres
 * set-up CDC needs, and agreement with the services' own configuration (application.yml, poms, prometheus.yml).
 * The Commitcast services are the ones built from infra/docker/Dockerfile; their build arg MODULE names the module.
 */
class ComposeSemanticsTest {

    private static final Pattern YML_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");
    /** Set by the image, not read by application.yml. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JAVA_OPTS");
    /** Empty means "not used": Redis' default user, no password, the JVM's trust store (docs/security.md). */
    private static final Set<String> OPTIONAL = Set.of("COMMITCAST_REDIS_USER", "COMMITCAST_REDIS_PASSWORD",
            "COMMITCAST_REDIS_TLS_CA_FILE");

    private final ComposeFile compose = ComposeFile.load(Repo.path(ComposeSchemaTest.COMPOSE));

    @Test
    void everyServiceHasAnImageOrBuild() {
        for (String service : compose.serviceNames()) {
            JsonNode s = compose.service(service);
            assertTrue(s.has("image") || s.has("build"), service + " has neither image nor build");
        }
    }

    @Test
    void dependsOnNamesExistingServicesWithHealthchecksAndHasNoCycle() {
        for (String service : compose.serviceNames()) {
            compose.dependsOn(service).forEach((dependency, condition) -> {
                assertTrue(compose.serviceNames().contains(dependency),
                        service + " depends on '" + dependency + "', which is not a service of " + compose.serviceNames());
                if (condition.equals("service_healthy")) {
                    assertTrue(compose.service(dependency).has("healthcheck"), service + " waits for " + dependency
                            + " to be healthy, but " + dependency + " has no healthcheck");
                }
            });
        }
        for (String service : compose.serviceNames()) {
            assertNoCycle(service, new ArrayList<>());
        }
    }

    @Test
    void apiReplicasPublishDistinctHostPorts() {
        List<String> apis = servicesOfModule("api-service");
        assertTrue(apis.size() >= 2, "expected at least two api-service replicas, found " + apis);
        Set<Integer> apiPorts = new HashSet<>();
        for (String api : apis) {
            List<PublishedPort> ports = compose.publishedPorts(api);
            assertFalse(ports.isEmpty(), api + " publishes no port");
            ports.forEach(p -> assertTrue(apiPorts.add(p.hostPort()), api + " reuses host port " + p.hostPort()));
        }
        Map<Integer, String> byHostPort = new HashMap<>();
        for (String service : compose.serviceNames()) {
            for (PublishedPort port : compose.publishedPorts(service)) {
                String previous = byHostPort.put(port.hostPort(), service);
                assertTrue(previous == null, "host port " + port.hostPort() + " is published by " + previous
                        + " and " + service);
            }
        }
    }

    @Test
    void postgresRunsWithLogicalDecodingAndAnInitThatCreatesAReplicationRole() throws IOException {
        List<String> command = compose.command("postgres");
        assertTrue(command.contains("wal_level=logical") || String.join(" ", command).contains("wal_level=logical"),
                "postgres command must set wal_level=logical (Debezium's pgoutput slot needs it): " + command);
        String image = Interpolation.defaults(compose.service("postgres").path("image").asText());
        Matcher version = Pattern.compile("postgres:(\\d+)").matcher(image);
        assertTrue(version.lookingAt() && Integer.parseInt(version.group(1)) >= 15,
                "postgres image must be 15 or newer: " + image);

        Path initDir = mountSource("postgres", "/docker-entrypoint-initdb.d");
        String init;
        try (Stream<Path> files = Files.list(initDir)) {
            init = String.join("\n", files.filter(Files::isRegularFile).map(ComposeSemanticsTest::read).toList());
        }
        assertTrue(Pattern.compile("CREATE ROLE[^;]*\\bLOGIN\\b[^;]*\\bREPLICATION\\b", Pattern.CASE_INSENSITIVE)
                .matcher(init).find(), initDir + " must create the application role WITH LOGIN REPLICATION");

        Map<String, String> pg = compose.environment("postgres");
        for (String service : servicesReading("COMMITCAST_PG_JDBC_URL")) {
            Map<String, String> env = compose.environment(service);
            assertEquals(pg.get("COMMITCAST_DB_USER"), env.get("COMMITCAST_PG_USER"), service + ": role");
            assertEquals(pg.get("COMMITCAST_DB_PASSWORD"), env.get("COMMITCAST_PG_PASSWORD"), service + ": password");
            URI jdbc = URI.create(env.get("COMMITCAST_PG_JDBC_URL").substring("jdbc:".length()));
            assertEquals("/" + pg.get("COMMITCAST_DB_NAME"), jdbc.getPath(), service + ": database");
        }
    }

    /** Every variable a service gets is one its application.yml reads, and every one it must have is set. */
    @Test
    void servicesSetExactlyTheVariablesTheirApplicationYmlReads() {
        for (String service : commitcastServices()) {
            String module = compose.buildArg(service, "MODULE").orElseThrow();
            Map<String, String> placeholders = placeholders(Repo.path(module + "/src/main/resources/application.yml"));
            Map<String, String> env = compose.environment(service);
            for (String variable : env.keySet()) {
                // a secret may come as a file: NAME_FILE stands for NAME (commitcast-core Secrets)
                String read = variable.endsWith("_FILE") ? variable.substring(0, variable.length() - 5) : variable;
                assertTrue(placeholders.containsKey(read) || JVM_VARIABLES.contains(variable), service + " sets "
                        + variable + ", which " + module + "'s application.yml does not read (it reads "
                        + placeholders.keySet() + ")");
            }
            placeholders.forEach((variable, fallback) -> {
                boolean mustSet = !OPTIONAL.contains(variable)
                        && (fallback.isEmpty() || fallback.contains("127.0.0.1") || fallback.contains("localhost"));
                assertTrue(!mustSet || env.containsKey(variable) || env.containsKey(variable + "_FILE"), service + " must set " + variable + ": "
                        + module + "'s default '" + fallback + "' cannot work in a container");
            });
        }
    }

    @Test
    void endpointsInVariablesNameComposeServices() {
        Map<String, Pattern> endpoints = Map.of(
                "COMMITCAST_PG_JDBC_URL", Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/"),
                "COMMITCAST_REDIS_URL", Pattern.compile("rediss?://([^:/]+):(\\d+)"),
                "COMMITCAST_KAFKA_BOOTSTRAP", Pattern.compile("([^:,]+):(\\d+)"));
        String advertised = compose.environment("kafka").get("KAFKA_ADVERTISED_LISTENERS");
        for (String service : commitcastServices()) {
            compose.environment(service).forEach((variable, value) -> {
                Pattern pattern = endpoints.get(variable);
                if (pattern == null) {
                    return;
                }
                Matcher m = pattern.matcher(value);
                assertTrue(m.lookingAt(), service + ": " + variable + " = " + value + " is not host:port");
                assertTrue(compose.serviceNames().contains(m.group(1)), service + ": " + variable + " points at "
                        + m.group(1) + ", which is not a compose service");
                if (variable.equals("COMMITCAST_KAFKA_BOOTSTRAP")) {
                    assertTrue(advertised.contains("//" + m.group(1) + ":" + m.group(2)), service + " bootstraps from "
                            + value + ", but kafka advertises " + advertised);
                }
            });
        }
    }

    @Test
    void serverPortsMatchPublishedPortsHealthchecksAndScrapeTargets() {
        Set<String> scrapeTargets = scrapeTargets(Repo.path("infra/compose/prometheus/prometheus.yml"));
        for (String service : commitcastServices()) {
            String port = compose.environment(service).get("MICRONAUT_SERVER_PORT");
            assertTrue(port != null, service + " must set MICRONAUT_SERVER_PORT (its healthcheck and Prometheus use it)");
            for (PublishedPort published : compose.publishedPorts(service)) {
                assertEquals(Integer.parseInt(port), published.containerPort(),
                        service + " publishes a container port its server does not listen on");
            }
            assertTrue(compose.service(service).has("healthcheck"), service + " has no healthcheck");
            assertTrue(scrapeTargets.contains(service + ":" + port), "prometheus.yml does not scrape " + service
                    + ":" + port + " (targets: " + scrapeTargets + ")");
        }
    }

    @Test
    void imagesAreBuiltFromTheSharedDockerfileWithEachModulesMainClass() {
        String rootPom = read(Repo.path("pom.xml"));
        for (String service : commitcastServices()) {
            JsonNode build = compose.service(service).path("build");
            Path context = compose.directory().resolve(build.path("context").asText()).normalize();
            assertTrue(Files.isRegularFile(context.resolve(build.path("dockerfile").asText())),
                    service + ": no Dockerfile at " + context.resolve(build.path("dockerfile").asText()));
            String module = compose.buildArg(service, "MODULE").orElseThrow();
            assertTrue(rootPom.contains("<module>" + module + "</module>"), service + ": MODULE " + module
                    + " is not a module of the root pom");
            Matcher mainClass = Pattern.compile("<exec.mainClass>([^<]+)</exec.mainClass>")
                    .matcher(read(Repo.path(module + "/pom.xml")));
            assertTrue(mainClass.find(), module + "/pom.xml declares no exec.mainClass");
            assertEquals(mainClass.group(1), compose.buildArg(service, "MAIN_CLASS").orElse(null),
                    service + ": MAIN_CLASS differs from " + module + "'s exec.mainClass");
        }
    }

    /** The connector streams from publication commitcast_pub, which the api-service's Flyway migrations create. */
    @Test
    void cdcConnectorStartsAfterAnApiServiceAppliedTheMigrations() {
        List<String> connectors = servicesOfModule("cdc-connector");
        assertEquals(1, connectors.size(), "one cdc-connector (one replication slot)");
        Map<String, String> deps = compose.dependsOn(connectors.getFirst());
        assertTrue(servicesOfModule("api-service").stream().anyMatch(api -> "service_healthy".equals(deps.get(api))),
                "cdc-connector must wait for a healthy api-service (migrations applied): depends_on " + deps);
        assertTrue(read(Repo.path("api-service/src/main/resources/application.yml")).contains("flyway:"),
                "api-service no longer applies Flyway migrations at start: the cdc-connector needs another way to "
                        + "wait for publication commitcast_pub");
        String dataDir = compose.environment(connectors.getFirst()).get("COMMITCAST_CDC_DATA_DIR");
        assertTrue(compose.volumes(connectors.getFirst()).stream().anyMatch(v -> v.length > 1
                        && (dataDir.equals(v[1]) || dataDir.startsWith(v[1] + "/"))),
                "COMMITCAST_CDC_DATA_DIR (" + dataDir + ") must be on a volume, or offsets are lost with the container");
    }

    @Test
    void mountSourcesAndNamedVolumesExist() {
        Set<String> declared = new TreeSet<>();
        compose.tree().path("volumes").fieldNames().forEachRemaining(declared::add);
        for (String service : compose.serviceNames()) {
            for (String[] volume : compose.volumes(service)) {
                String source = volume[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    assertTrue(Files.exists(compose.directory().resolve(source)), service + " mounts " + source
                            + ", which does not exist next to the compose file");
                } else {
                    assertTrue(declared.contains(source), service + " uses volume " + source
                            + ", not declared under top-level volumes " + declared);
                }
            }
        }
    }

    @Test
    void kafkaIsASingleKraftNodeWithAValidClusterId() {
        Map<String, String> env = compose.environment("kafka");
        String kafkaVersion = rootPomProperty("kafka.version");
        assertEquals("apache/kafka:" + kafkaVersion, Interpolation.defaults(compose.service("kafka").path("image").asText()),
                "Kafka from the apache/kafka image at the version the project builds against (root pom kafka.version)");
        assertTrue(standinsEnv().contains("COMMITCAST_KAFKA_IMAGE=commitcast-local/kafka:" + kafkaVersion + "\n"),
                "infra/docker/standins/standins.env names the Kafka stand-in at kafka.version " + kafkaVersion);
        assertEquals("broker,controller", env.get("KAFKA_PROCESS_ROLES"));
        Uuid.fromString(env.get("CLUSTER_ID")); // throws unless a base64url UUID, as kafka-storage format requires
        assertEquals("1", env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"), "a single broker needs RF 1");
    }

    private void assertNoCycle(String service, List<String> path) {
        if (path.contains(service)) {
            fail("depends_on cycle: " + String.join(" -> ", path) + " -> " + service);
        }
        path.add(service);
        compose.dependsOn(service).keySet().forEach(d -> assertNoCycle(d, path));
        path.removeLast();
    }

    private List<String> commitcastServices() {
        List<String> services = compose.serviceNames().stream()
                .filter(s -> compose.buildArg(s, "MODULE").isPresent()).toList();
        assertFalse(services.isEmpty(), "no service is built with a MODULE build arg");
        return services;
    }

    private List<String> servicesOfModule(String module) {
        return commitcastServices().stream()
                .filter(s -> compose.buildArg(s, "MODULE").orElseThrow().equals(module)).toList();
    }

    private List<String> servicesReading(String variable) {
        return commitcastServices().stream().filter(s -> compose.environment(s).containsKey(variable)).toList();
    }

    private Path mountSource(String service, String target) {
        return compose.volumes(service).stream().filter(v -> v.length > 1 && v[1].equals(target))
                .map(v -> compose.directory().resolve(v[0])).findFirst()
                .orElseThrow(() -> new AssertionError(service + " mounts nothing at " + target));
    }

    /** {@code ${NAME:default}} placeholders of an application.yml: name to default ("" when none). */
    private static Map<String, String> placeholders(Path applicationYml) {
        Map<String, String> placeholders = new LinkedHashMap<>();
        Matcher m = YML_PLACEHOLDER.matcher(read(applicationYml));
        while (m.find()) {
            placeholders.put(m.group(1), m.group(2) == null ? "" : m.group(2));
        }
        return placeholders;
    }

    private static Set<String> scrapeTargets(Path prometheusYml) {
        Set<String> targets = new TreeSet<>();
        for (JsonNode job : YamlFiles.tree(prometheusYml).path("scrape_configs")) {
            for (JsonNode config : job.path("static_configs")) {
                config.path("targets").forEach(t -> targets.add(t.asText()));
            }
            // DNS discovery of every replica of a scaled service (Docker's DNS: one A record per container)
            for (JsonNode config : job.path("dns_sd_configs")) {
                config.path("names").forEach(n -> targets.add(n.asText() + ":" + config.path("port").asText()));
            }
        }
        return targets;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String rootPomProperty(String name) {
        try {
            Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(Repo.path("pom.xml")));
            assertTrue(m.find(), "root pom.xml has no property " + name);
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String standinsEnv() {
        try {
            return Files.readString(Repo.path("infra/docker/standins/standins.env"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
